# The same six records as plain CSV, JSON Lines, gzip and zstd, and on
# stdin: one run over all five must screen each copy identically.
cp base.csv a.csv
gzip -n -c base.csv > b.csv.gz
zstd -q -c base.csv > c.csv.zst
cp base.csv d.csv
awk -F, 'NR==1{for(i=1;i<=NF;i++)h[i]=$i; next}
{ # base.csv quotes only the address field with a comma; rebuild fields
  line=$0; n=0; f=""; q=0
  for(i=1;i<=length(line);i++){c=substr(line,i,1)
    if(c=="\"" ){q=!q; continue}
    if(c=="," && !q){v[++n]=f; f=""; continue}
    f=f c}
  v[++n]=f
  printf "{"
  for(i=1;i<=n;i++){printf "%s\"%s\":\"%s\"", (i>1?",":""), h[i], v[i]}
  printf "}\n"}' base.csv > a.jsonl
