"""The catalogue's outward formats: schema.org Course, Open Badges 3.0, flat rows."""

import json

from django.conf import settings

OB_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
LANGUAGE_TAGS = {"en": ["en"], "fr": ["fr"], "en-fr": ["en", "fr"]}

# The same escapes as Django's json_script, for <script type="application/ld+json">.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def absolute(url, request=None):
    if request is not None:
        return request.build_absolute_uri(url)
    return settings.SITE_URL + url


def script_json(data):
    return json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)


def course_jsonld(credential, request=None):
    """schema.org Course, embedded in the entry's page for search engines."""
    provider = credential.provider
    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": credential.title,
        "description": credential.description or credential.title,
        "url": absolute(credential.get_absolute_url(), request),
        "provider": {
            "@type": "Organization",
            "name": provider.name,
            **({"url": provider.website} if provider.website else {}),
        },
        "educationalCredentialAwarded": "Micro-credential",
        "inLanguage": LANGUAGE_TAGS.get(credential.language, ["en"]),
        "teaches": [tag.name for tag in credential.skill_list],
        "isAccessibleForFree": credential.is_free,
        "offers": {
            "@type": "Offer",
            "category": "Free" if credential.is_free else "Paid",
            "price": str(credential.cost_cad),
            "priceCurrency": "CAD",
        },
    }
    if credential.level:
        data["educationalLevel"] = credential.get_level_display()
    if credential.prerequisites:
        data["coursePrerequisites"] = credential.prerequisites
    instance = {"@type": "CourseInstance"}
    if credential.delivery_mode:
        instance["courseMode"] = {
            "online": "Online",
            "in_person": "Onsite",
            "hybrid": "Blended",
        }[credential.delivery_mode]
    if credential.workload_hours:
        instance["courseWorkload"] = f"PT{credential.workload_hours}H"
    starts = [start.date.isoformat() for start in credential.start_dates.all()]
    data["hasCourseInstance"] = (
        [{**instance, "startDate": start} for start in starts] if starts else [instance]
    )
    if credential.duration_weeks:
        data["timeRequired"] = f"P{credential.duration_weeks}W"
    return {key: value for key, value in data.items() if value is not None}


def achievement(credential, request=None):
    """The entry as an Open Badges 3.0 Achievement (achievementType MicroCredential)."""
    provider = credential.provider
    url = absolute(credential.get_absolute_url(), request)
    narrative = "\n".join(
        [*(f"- {outcome}" for outcome in credential.outcomes_list)]
        + ([f"\nAssessment: {credential.assessment}"] if credential.assessment else [])
    )
    criteria = {"id": url}
    if narrative:
        criteria["narrative"] = narrative
    creator = {
        "id": provider.website or absolute(f"/catalogue/?provider={provider.slug}"),
        "type": ["Profile"],
        "name": provider.name,
    }
    if provider.website:
        creator["url"] = provider.website
    data = {
        "@context": OB_CONTEXT,
        "id": absolute(credential.get_jsonld_url(), request),
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": credential.title,
        "description": credential.description or credential.title,
        "criteria": criteria,
        "creator": creator,
        "tag": [tag.name for tag in credential.skill_list],
        "inLanguage": LANGUAGE_TAGS.get(credential.language, ["en"])[0],
    }
    if credential.external_id:
        data["humanCode"] = credential.external_id
    if credential.pathway:
        data["fieldOfStudy"] = credential.pathway
    return {key: value for key, value in data.items() if value not in (None, "")}


def flat_row(credential):
    """One entry as a flat dict: the import format, so exports re-import as-is."""
    return {
        "provider": credential.provider.name,
        "external_id": credential.external_id,
        "title": credential.title,
        "slug": credential.slug,
        "description": credential.description,
        "learning_outcomes": credential.learning_outcomes,
        "skills": "; ".join(tag.name for tag in credential.skill_list),
        "level": credential.level,
        "workload_hours": credential.workload_hours,
        "duration_weeks": credential.duration_weeks,
        "delivery_mode": credential.delivery_mode,
        "language": credential.language,
        "cost_cad": str(credential.cost_cad),
        "osap_eligible": credential.osap_eligible,
        "assessment": credential.assessment,
        "quality_assurance": credential.quality_assurance,
        "endorsements": credential.endorsements,
        "prerequisites": credential.prerequisites,
        "pathway": credential.pathway,
        "start_dates": "; ".join(
            start.date.isoformat() for start in credential.start_dates.all()
        ),
        "external_url": credential.external_url,
        "status": credential.status,
        "last_reviewed": (
            credential.last_reviewed.isoformat() if credential.last_reviewed else ""
        ),
        "url": absolute(credential.get_absolute_url()),
    }
