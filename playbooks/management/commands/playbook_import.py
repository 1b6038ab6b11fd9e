"""Read a playbook YAML file: a new version of the playbook of that name, or a new playbook."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from core.errors import DomainError
from playbooks import services


class Command(BaseCommand):
    help = "Import a playbook definition from YAML, all or nothing (see the README)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The YAML file ('-' for stdin).")
        parser.add_argument(
            "--new", action="store_true", help="Refuse the file if its playbook already exists."
        )

    def handle(self, *args, path: str, new: bool, **options):
        try:
            if path == "-":
                text = sys.stdin.read()
            else:
                with open(path, encoding="utf-8") as file:
                    text = file.read()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        try:
            version = services.playbook_import(text=text, as_new=new)
        except DomainError as error:
            raise CommandError(f"{path}: {error} Nothing was imported.") from None
        count = version.activities.count()
        self.stdout.write(
            f"Imported {version.definition.name}, version {version.number} ({count} activities)."
        )
