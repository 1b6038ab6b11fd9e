"""Write a playbook's latest version (or a given one) as YAML, to stdout or a file."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from playbooks import services
from playbooks.models import PlaybookDefinition
from playbooks.models import PlaybookVersion


class Command(BaseCommand):
    help = "Export a playbook definition as YAML (see the README's Several playbooks)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The playbook's name, e.g. 'Success case playbook'.")
        parser.add_argument("--number", type=int, help="The version number; default: the latest.")
        parser.add_argument("--output", "-o", help="A file to write; default: stdout.")

    def handle(self, *args, name: str, number: int | None, output: str | None, **options):
        definition = PlaybookDefinition.objects.filter(name__iexact=name).first()
        if definition is None:
            raise CommandError(f"No playbook is named “{name}”.")
        if number is None:
            version = services.playbook_version_current(definition)
        else:
            version = PlaybookVersion.objects.filter(definition=definition, number=number).first()
        if version is None:
            raise CommandError(f"{definition.name} has no version {number or ''}".strip() + ".")
        text = services.playbook_export(version=version)
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text)
            self.stderr.write(f"Wrote {definition.name}, version {version.number}, to {output}.")
        else:
            self.stdout.write(text, ending="")
