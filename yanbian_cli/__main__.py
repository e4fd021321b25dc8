"""`python -m yanbian_cli` runs the `yb` command."""

from yanbian_cli.cli import main

if __name__ == "__main__":
    main()
