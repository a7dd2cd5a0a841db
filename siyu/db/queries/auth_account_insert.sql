INSERT INTO accounts (username, role, password_hash, must_change, created_by)
VALUES ($username, $role, $password_hash, $must_change, $created_by)
