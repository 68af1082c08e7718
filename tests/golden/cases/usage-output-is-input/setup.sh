printf "{}\n" > a0.jsonl; printf "{}\n" > alerts.jsonl
