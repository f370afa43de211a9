from django.core.management.base import BaseCommand

from config import demo


class Command(BaseCommand):
    help = "Create demo sellers, creators, shops and orders. Safe to run again: it adds nothing twice."

    def handle(self, *args, **options):
        logins = demo.seed()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in at http://127.0.0.1:8000/accounts/login/:"))
        width = max(len(login.email) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.email.ljust(width)}  {demo.DEMO_PASSWORD}  {login.role}")
