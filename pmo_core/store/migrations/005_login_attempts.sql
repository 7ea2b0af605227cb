-- 005: wrong passwords per key (a user name or a client address), shared by every
-- process of the app (pmo_core.auth.Throttle). Released: never edit; add a new file.

CREATE TABLE login_attempts (
    key VARCHAR PRIMARY KEY,
    failures INTEGER NOT NULL,
    lockouts INTEGER NOT NULL,
    locked_until DOUBLE NOT NULL,
    last_failure DOUBLE NOT NULL
);
