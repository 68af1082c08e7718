# The places file is the bundled one, copied so the rule set names it
# relative to itself as a deployment would.
cp "$TXS_SRC/rules/places/sanctioned-places-2026.yaml" places.yaml
