#!/usr/bin/env python3
# Accidental typologies in the background of a native `txscreen gen` export:
# naive detectors over the unlabelled rows (bench/README.md, "The background
# stays benign").  Usage: python3 bench/gen/accidental.py export.csv labels.csv
import csv,sys,collections,datetime
fx={"USD":1,"EUR":1.16,"GBP":1.34,"CHF":1.25,"JPY":0.0067,"CNY":0.14,"INR":0.0114,"AUD":0.66,"CAD":0.73,"MXN":0.054,"BRL":0.18,"SGD":0.75,"SEK":0.1,"NOK":0.1,"DKK":0.16,"PLN":0.27,"HKD":0.13,"NZD":0.6,"KRW":0.00075}
lab={r['txn_id'] for r in csv.DictReader(open(sys.argv[2]))}
def ep(s): return int(datetime.datetime.strptime(s,"%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp())
out=collections.defaultdict(list); inn=collections.defaultdict(list); cash=collections.defaultdict(list)
n=0
for r in csv.DictReader(open(sys.argv[1])):
    if r['txn_id'] in lab: continue
    n+=1
    t=ep(r['timestamp']); usd=float(r['amount'])*fx.get(r['currency'],0)
    ch=r['channel']
    if ch=='cash': cash[r['bene_account']].append((t,usd)); continue
    out[r['orig_account']].append((t,usd,r['bene_account'],ch,r['amount']))
    inn[r['bene_account']].append((t,usd,r['orig_account'],ch))
D=86400
def fan(d,win=D,k=5):
    c=0
    for a,l in d.items():
        l=[x for x in l if x[3]!='card']
        if len(l)<k: continue
        j=0
        for i in range(len(l)):
            while l[i][0]-l[j][0]>win: j+=1
            if len({x[2] for x in l[j:i+1]})>=k: c+=1; break
    return c
print('background rows',n)
print('fan_out accounts (>=5 distinct non-card payees in 24h):',fan(out))
print('fan_in accounts (>=5 distinct non-card payers in 24h, merchants excluded by channel):',fan(inn))
s=0
for a,l in cash.items():
    b=[x for x in l if 7000<=x[1]<10000]
    for i in range(len(b)-2):
        if b[i+2][0]-b[i][0]<=4*D: s+=1;break
print('structuring accounts (>=3 cash 7,000-9,999 USD-eq in 4 days):',s)
ra=0
for a,l in out.items():
    b=[x for x in l if float(x[4])>=1000 and round(float(x[4])*100)%100000==0]
    for i in range(len(b)-2):
        if b[i+2][0]-b[i][0]<=5*D: ra+=1;break
print('round_amounts accounts (>=3 multiples of 1,000 in 5 days):',ra)
pt=0
for a,l in out.items():
    ins=[x for x in inn.get(a,[]) if x[3] in('wire','ach') and x[1]>=5000]
    if not ins: continue
    hit=0
    for o in l:
        if o[3] not in ('wire','ach') or o[1]<5000: continue
        for i in ins:
            if 0<=o[0]-i[0]<=3*D and 0.85<=o[1]/i[1]<=1.15: hit=1;break
        if hit: break
    pt+=hit
print('pass_through accounts (wire/ach in >=5,000 then one out 85-115% within 3 days):',pt)
sp=0;spt=0
for a,l in out.items():
    mx=0
    for i,o in enumerate(l):
        if i>=5 and o[1]>=5*mx and o[1]>=1000: sp+=1;break
        mx=max(mx,o[1])
print('amount_spike accounts (>=5 prior payments, one >=5x their max and >=1,000 USD):',sp)
vs=0
for a,l in out.items():
    j=0
    for i in range(len(l)):
        while l[i][0]-l[j][0]>D: j+=1
        if i-j+1>=10: vs+=1;break
print('velocity accounts (>=10 payments in 24h):',vs)
# cycles of length 2-3 within 6 days (non-card)
adj=collections.defaultdict(list)
for a,l in out.items():
    for o in l:
        if o[3]!='card': adj[a].append((o[0],o[2]))
c2=c3=0
for a,l in adj.items():
    for t,b in l:
        for t2,c in adj.get(b,[]):
            if not (t<=t2<=t+6*D): continue
            if c==a: c2+=1; continue
            for t3,d in adj.get(c,[]):
                if t2<=t3<=t+6*D and d==a: c3+=1
print('cycles A->B->A / A->B->C->A within 6 days (non-card edges):',c2,c3)
accts=set(out)|set(inn)|set(cash)
print('accounts seen',len(accts))
