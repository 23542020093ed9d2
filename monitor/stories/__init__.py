"""Stories: near-duplicate articles grouped, so that one story alerts once per channel."""
