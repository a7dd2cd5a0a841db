UPDATE accounts SET disabled = $disabled WHERE username = $username
