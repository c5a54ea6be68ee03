"""Scripts of the project; a package so that bench/ can import scripts.prodsite."""
