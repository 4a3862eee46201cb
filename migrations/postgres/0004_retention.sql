-- Retention (`gridbot purge`, `/forget`, `[retention] closed_after`): raw updates are found
-- by the time they arrived, so clearing old ones never scans the whole log.
CREATE INDEX updates_received ON updates (received_at);
