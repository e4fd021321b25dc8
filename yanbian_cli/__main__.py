"""`python -m yanbian_cli` runs the `yb` command."""

from yanbian_cli.cli import run

if __name__ == "__main__":
    run()
