"""French texts of amounts as the import reads them (units in headers, decimal separators)
and as a form reads them when typed."""

FR: dict[str, str] = {
    "{header}: amounts multiplied by 1,000.": "{header} : montants multipliés par 1\u202f000.",
    "{header}: amounts multiplied by 1,000,000.": "{header} : montants multipliés par 1\u202f000\u202f000.",
    "{header}: amounts multiplied by 1,000,000,000.": "{header} : montants multipliés par 1\u202f000\u202f000\u202f000.",
    "{header}: values such as {example} could be read two ways; read with ',' as the decimal "
    "separator ({why}). If that is wrong, set this column's decimal separator to '.' in a "
    "mapping profile.": "{header} : des valeurs comme {example} peuvent se lire de deux façons ; lues avec « , » "
    "comme séparateur décimal ({why}). Si c'est faux, indiquez « . » comme séparateur décimal "
    "de cette colonne dans un profil de correspondance.",
    "{header}: values such as {example} could be read two ways; read with ',' as the thousands "
    "separator ({why}). If that is wrong, set this column's decimal separator to ',' in a "
    "mapping profile.": "{header} : des valeurs comme {example} peuvent se lire de deux façons ; lues avec « , » "
    "comme séparateur des milliers ({why}). Si c'est faux, indiquez « , » comme séparateur "
    "décimal de cette colonne dans un profil de correspondance.",
    "{header}: numbers written with both ',' and '.' as the decimal separator (e.g. {example}); "
    "each is read as written, the ambiguous ones with '{decimal}' as the decimal separator.": "{header} : nombres écrits avec « , » et avec « . » comme séparateur décimal (ex. "
    "{example}) ; chacun est lu tel qu'écrit, les ambigus avec « {decimal} » comme séparateur "
    "décimal.",
    "as the file's other numbers are written": "comme les autres nombres du fichier",
    "as usual in a file separated by ';'": "comme d'usage dans un fichier séparé par « ; »",
    "nothing in the file tells otherwise": "rien dans le fichier n'indique le contraire",
    # Amounts typed in a form (the Requests page)
    "Type the amount as you write it, e.g. {example}.": "Saisissez le montant comme vous l'écrivez, par ex. {example}.",
    "Not read as an amount.": "Non lu comme un montant.",
    "Understood: {amount}": "Compris : {amount}",
    "{field}: {typed} is not an amount. Type it as you write it, e.g. {example}.": "{field} : {typed} n'est pas un montant. Saisissez-le comme vous l'écrivez, par ex. {example}.",
    "Units and decimal separators of the number columns": "Unités et séparateurs décimaux des colonnes de nombres",
    "Unit": "Unité",
    "Decimal separator": "Séparateur décimal",
    "As the header says": "Selon l'en-tête",
    "Units (x 1)": "Unités (× 1)",
    "Thousands (x 1,000)": "Milliers (× 1\u202f000)",
    "Millions (x 1,000,000)": "Millions (× 1\u202f000\u202f000)",
    "Billions (x 1,000,000,000)": "Milliards (× 1\u202f000\u202f000\u202f000)",
    "Decided from the file": "Déduit du fichier",
    "Comma (1 234,50)": "Virgule (1 234,50)",
    "Point (1,234.50)": "Point (1,234.50)",
}
