SELECT count(*) AS n FROM accounts
