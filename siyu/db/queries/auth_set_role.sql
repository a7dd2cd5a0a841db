UPDATE accounts SET role = $role WHERE username = $username
