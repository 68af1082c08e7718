mkdir rules.d
