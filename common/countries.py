"""ISO 3166-1 alpha-2 countries that shops may register in and ship to."""

COUNTRIES = {
    "AU": "Australia", "AT": "Austria", "BE": "Belgium", "BR": "Brazil", "CA": "Canada",
    "CN": "China", "DK": "Denmark", "FI": "Finland", "FR": "France", "DE": "Germany",
    "HK": "Hong Kong", "IN": "India", "ID": "Indonesia", "IE": "Ireland", "IT": "Italy",
    "JP": "Japan", "MY": "Malaysia", "MX": "Mexico", "NL": "Netherlands", "NZ": "New Zealand",
    "NO": "Norway", "PH": "Philippines", "PL": "Poland", "PT": "Portugal", "SA": "Saudi Arabia",
    "SG": "Singapore", "KR": "South Korea", "ES": "Spain", "SE": "Sweden", "CH": "Switzerland",
    "TW": "Taiwan", "TH": "Thailand", "AE": "United Arab Emirates", "GB": "United Kingdom",
    "US": "United States", "VN": "Vietnam",
}
COUNTRY_CHOICES = sorted(COUNTRIES.items(), key=lambda item: item[1])
