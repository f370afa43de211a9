import logging

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from portal import demo


class Command(BaseCommand):
    help = "Create demo sellers, creators, shops and orders. Safe to run again: it adds nothing twice."

    def handle(self, *args, **options):
        # The demo's order confirmations and service logs would drown the login table.
        logging.disable(logging.INFO)
        try:
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
                logins = demo.seed()
        finally:
            logging.disable(logging.NOTSET)
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in at http://127.0.0.1:8000/accounts/login/:"))
        width = max(len(login.email) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.email.ljust(width)}  {demo.DEMO_PASSWORD}  {login.role}")
        self.stdout.write("Test card for checkout: 4242 4242 4242 4242, any future expiry, any CVC.")
