"""``python -m escalation_kit`` runs the same CLI as the ``escalation-kit`` script."""

from escalation_kit.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
