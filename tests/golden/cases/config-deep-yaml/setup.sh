# A rule set nested 100,000 levels deep (issue 14): a configuration error,
# exit 3, not an input error.
{ printf 'rules: '; head -c 100000 /dev/zero | tr '\0' '['; echo; } > rules.yaml
