cp "$TXS_SRC/rules/places/sanctioned-places-2026.yaml" places.yaml
