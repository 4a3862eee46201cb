-- Performance (see BENCHMARKS.md): the one petition a resident's message would join as a
-- duplicate (same chat, category and place) is found through this index instead of
-- loading every active petition of the chat.
CREATE INDEX petitions_duplicates ON petitions (chat_id, category, location, created_at);
