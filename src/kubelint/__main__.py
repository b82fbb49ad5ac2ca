"""``python -m kubelint``."""

from kubelint.entry import main

main()
