"""Contract codes (PRODUCT.md "Contract details") with English and Khmer labels."""

from __future__ import annotations

Labels = dict[str, tuple[str, str]]

CATEGORIES: Labels = {
    "contributions": ("Contribution registration & payment", "ការចុះឈ្មោះ និងការបង់ភាគទាន"),
    "maternity": ("Maternity & pregnancy protection", "ការការពារមាតុភាព និងផ្ទៃពោះ"),
    "healthcare": ("Healthcare service quality", "គុណភាពសេវាថែទាំសុខភាព"),
    "benefits": ("Benefits & claims", "អត្ថប្រយោជន៍ និងការទាមទារ"),
    "information_access": ("Information & language access", "ការទទួលបានព័ត៌មាន និងភាសា"),
    "employer_compliance": ("Employer compliance", "ការអនុលោមភាពរបស់និយោជក"),
    "other": ("Other", "ផ្សេងៗ"),
}

AFFECTED_GROUPS: Labels = {
    "garment_workers": ("Garment workers", "កម្មករកាត់ដេរ"),
    "informal_economy": ("Informal economy", "សេដ្ឋកិច្ចក្រៅប្រព័ន្ធ"),
    "smallholder_farmers": ("Smallholder farmers", "កសិករខ្នាតតូច"),
    "indigenous_community": ("Indigenous community", "សហគមន៍ជនជាតិដើមភាគតិច"),
    "domestic_workers": ("Domestic workers", "ពលករតាមផ្ទះ"),
    "other": ("Other", "ផ្សេងៗ"),
}

GENDER_FOCUS: Labels = {
    "women": ("Women", "ស្ត្រី"),
    "men": ("Men", "បុរស"),
    "all": ("All", "ទាំងអស់"),
    "unspecified": ("Unspecified", "មិនបានបញ្ជាក់"),
}

PRIORITIES: Labels = {
    "low": ("Low", "ទាប"),
    "normal": ("Normal", "ធម្មតា"),
    "high": ("High", "ខ្ពស់"),
    "urgent": ("Urgent", "បន្ទាន់"),
}

LANGUAGES: Labels = {"en": ("English", "អង់គ្លេស"), "km": ("Khmer", "ខ្មែរ")}

# How the raiser is told of each step (tracker.raiser_channel holds the rule).
CHANNELS: Labels = {
    "email": ("Email", "អ៊ីមែល"),
    "telegram": ("Telegram", "តេឡេក្រាម"),
    "sms": ("SMS", "សារ SMS"),
    "none": ("Not told", "មិនជូនដំណឹង"),
}

FORUM_KINDS: Labels = {"annual": ("Annual", "ប្រចាំឆ្នាំ"), "regional": ("Regional", "តំបន់")}

OUTCOMES: Labels = {
    "resolved": ("Resolved", "បានដោះស្រាយ"),
    "partly_resolved": ("Partly resolved", "បានដោះស្រាយមួយផ្នែក"),
    "not_resolved": ("Not resolved", "មិនបានដោះស្រាយ"),
    "duplicate": ("Duplicate", "ស្ទួន"),
    "withdrawn": ("Withdrawn", "បានដកវិញ"),
    "out_of_scope": ("Out of scope", "ក្រៅវិសាលភាព"),
}

# "Was it resolved?": the answers a person who raised a closed case may give.
FEEDBACK: Labels = {
    "yes": ("Yes", "បាទ/ចាស"),
    "partly": ("Partly", "មួយផ្នែក"),
    "no": ("No", "ទេ"),
}

# ISO 3166-2:KH
PROVINCES: Labels = {
    "KH-1": ("Banteay Meanchey", "បន្ទាយមានជ័យ"),
    "KH-2": ("Battambang", "បាត់ដំបង"),
    "KH-3": ("Kampong Cham", "កំពង់ចាម"),
    "KH-4": ("Kampong Chhnang", "កំពង់ឆ្នាំង"),
    "KH-5": ("Kampong Speu", "កំពង់ស្ពឺ"),
    "KH-6": ("Kampong Thom", "កំពង់ធំ"),
    "KH-7": ("Kampot", "កំពត"),
    "KH-8": ("Kandal", "កណ្ដាល"),
    "KH-9": ("Koh Kong", "កោះកុង"),
    "KH-10": ("Kratie", "ក្រចេះ"),
    "KH-11": ("Mondul Kiri", "មណ្ឌលគិរី"),
    "KH-12": ("Phnom Penh", "ភ្នំពេញ"),
    "KH-13": ("Preah Vihear", "ព្រះវិហារ"),
    "KH-14": ("Prey Veng", "ព្រៃវែង"),
    "KH-15": ("Pursat", "ពោធិ៍សាត់"),
    "KH-16": ("Ratanak Kiri", "រតនគិរី"),
    "KH-17": ("Siem Reap", "សៀមរាប"),
    "KH-18": ("Preah Sihanouk", "ព្រះសីហនុ"),
    "KH-19": ("Stung Treng", "ស្ទឹងត្រែង"),
    "KH-20": ("Svay Rieng", "ស្វាយរៀង"),
    "KH-21": ("Takeo", "តាកែវ"),
    "KH-22": ("Oddar Meanchey", "ឧត្ដរមានជ័យ"),
    "KH-23": ("Kep", "កែប"),
    "KH-24": ("Pailin", "ប៉ៃលិន"),
    "KH-25": ("Tbong Khmum", "ត្បូងឃ្មុំ"),
}


def label(table: Labels, code: str | None, language: str = "en") -> str:
    """Return the label of a code in a language, or the code itself when unknown."""
    if code is None:
        return ""
    en, km = table.get(code, (code, code))
    return km if language == "km" else en


# Labels of the case fields that import files may use as column headers.
CASE_FIELD_LABELS: Labels = {
    "title": ("Title", "ចំណងជើង"),
    "description": ("Description", "ការពិពណ៌នា"),
    "category": ("Category", "ប្រភេទ"),
    "province": ("Province", "ខេត្ត"),
    "gender_focus": ("Gender focus", "ការផ្តោតលើយេនឌ័រ"),
    "affected_group": ("Affected group", "ក្រុមដែលរងផលប៉ះពាល់"),
    "people_affected": ("People affected", "ចំនួនអ្នករងផលប៉ះពាល់"),
    "raised_by_name": ("Raised by", "លើកឡើងដោយ"),
    "raised_by_email": ("Email", "អ៊ីមែល"),
    "raised_by_phone": ("Phone", "ទូរស័ព្ទ"),
    "priority": ("Priority", "អាទិភាព"),
    "language": ("Language", "ភាសា"),
    "channel": ("Channel", "មធ្យោបាយទំនាក់ទំនង"),
    "consent_share": ("Consent to share", "យល់ព្រមចែករំលែកព័ត៌មាន"),
}

# Yes/no cells (consent to share): the word read in a file, English or Khmer.
YES_NO: Labels = {"yes": ("Yes", "បាទ/ចាស"), "no": ("No", "ទេ")}

CODE_TABLES_BY_FIELD: dict[str, Labels] = {
    "province": PROVINCES,
    "gender_focus": GENDER_FOCUS,
    "affected_group": AFFECTED_GROUPS,
    "priority": PRIORITIES,
    "language": LANGUAGES,
    "channel": CHANNELS,
    "consent_share": YES_NO,
}
