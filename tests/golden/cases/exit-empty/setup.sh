H='txn_id,timestamp,amount,currency,channel,orig_account,orig_name,orig_country,orig_bank,orig_address,bene_account,bene_name,bene_country,bene_bank,bene_address,purpose'
printf "%s\n" "$H" > header-only.csv
