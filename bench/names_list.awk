# 1,000,000 synthetic listed names from bench/data/names.tsv, as an
# OpenSanctions targets.simple.csv: 80% persons "First Last", 20% companies
# "Last Last Trading LLC"-style; a seeded LCG, so the same bytes every time.
BEGIN { FS = "\t"; nf = 0; nl = 0; s = 12345 }
NR > 1 && $1 == "first" { F[nf++] = $2 }
NR > 1 && $1 == "last"  { L[nl++] = $2 }
function rnd(n) { s = (s * 1103515245 + 12345) % 2147483648; return int(s / 2147483648 * n) }
END {
    split("Trading LLC|Holdings Ltd|Shipping Co|Group SA|Industries GmbH|Logistics FZE|Petroleum JSC|Finance Limited", SUF, "|")
    print "\"id\",\"schema\",\"name\",\"aliases\",\"birth_date\",\"countries\",\"addresses\",\"identifiers\",\"sanctions\",\"phones\",\"emails\",\"program_ids\",\"dataset\",\"first_seen\",\"last_seen\",\"last_change\""
    for (i = 0; i < N; i++) {
        if (i % 5 == 4) { sc = "Company"; nm = L[rnd(nl)] " " L[rnd(nl)] " " SUF[1 + rnd(8)] }
        else { sc = "Person"; nm = F[rnd(nf)] " " L[rnd(nl)] }
        printf "\"SYN-%07d\",\"%s\",\"%s\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"Synthetic 1M\",\"2026-01-01T00:00:00\",\"2026-01-01T00:00:00\",\"2026-01-01T00:00:00\"\n", i, sc, nm
    }
}
