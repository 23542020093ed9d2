-- A channel's sender asks at every turn (each new alert wakes it) for its pending alerts that
-- are due, in queue order (`due`), and, when none is, when the next one will be
-- (`next_due_at`: MIN(next_at) of its pending alerts). By `outbox_due (status, next_at)`
-- both read the pending alerts of every channel, and `due` sorted them: with a backlog of
-- 100,000 on one channel, 8-12 ms a call on the others too, idle as they were (58 ms on a
-- slower disk). By these two, a call reads only what it returns (bench/outbox_due.py):
-- `due` walks the channel's pending alerts in queue order, reading `next_at` from the index
-- and stopping at the batch's end; `next_due_at` reads one index entry.
CREATE INDEX outbox_channel_queue ON outbox (channel, status, seq, next_at);
CREATE INDEX outbox_channel_next ON outbox (channel, status, next_at);
