-- 002: status reports carry a quality RAG and comment (governance: quality dimension).
ALTER TABLE status_reports ADD COLUMN quality_rag VARCHAR;
ALTER TABLE status_reports ADD COLUMN quality_comment VARCHAR;
