-- Rows as Insight Hub 0.1 (database version 1) wrote them. The tables
-- themselves are created by the test through the version 1 migration.
INSERT INTO theme (rid, id, created_at, updated_at, name) VALUES
  (1, '0b7e2a1c-3d4f-4a5b-8c6d-7e8f9a0b1c2d', 1672531200000, 1672531200000, 'Transport');
INSERT INTO activity (rid, id, created_at, updated_at, title, kind, start_date, ics, place) VALUES
  (1, '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', 1672531200000, 1672531200000,
   'Hospital travel drop-in', 'drop-in', '2023-01-10', 'Gloucestershire', 'Cheltenham');
INSERT INTO insight (rid, id, created_at, updated_at, text, kind, activity_rid, date, sentiment, consent) VALUES
  (1, '6f1c2d0e-8a4b-4c3d-9e5f-0a1b2c3d4e5f', 1672531200000, 1672531200000,
   'Parking at Cheltenham General is impossible on weekdays.', 'quote', 1, '2023-01-10', 'negative', 'may-quote'),
  (2, '7a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', 1672531200000, 1672531200000,
   'The pharmacy was closed when I got there.', 'quote', 1, '2023-01-10', 'negative', 'withdrawn');
INSERT INTO insight (rid, id, created_at, updated_at, deleted, text) VALUES
  (3, '8b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e', 1672531200000, 1672617600000, 1,
   'Entered by mistake: dentist.');
INSERT INTO insight_theme (insight_rid, theme_rid) VALUES (1, 1), (2, 1);
