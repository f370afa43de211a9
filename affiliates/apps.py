from django.apps import AppConfig


class AffiliatesConfig(AppConfig):
    name = "affiliates"
    verbose_name = "Affiliate programs and creators"

    def ready(self):
        # The checkout reads creator codes through the shop's code book (shops/codes.py).
        from shops.codes import use_code_book

        from .services.codes import CreatorCodeBook

        use_code_book(CreatorCodeBook())
