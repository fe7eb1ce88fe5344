-- How an answer cites a seed document for a delegate: its symbol and date
-- where the document prints them, else a short title that tells it apart from
-- the others (two progress reports to TDAG share one title). The seeder fills
-- it in from knowledge.yaml, also for documents seeded before this column.

ALTER TABLE documents ADD COLUMN citation TEXT;
