"""Small builders for records the tests need, so each test says only what matters to it."""

import datetime

from django.utils import timezone

from archive.models import Article, Document, Organisation, Person, Quotation, Role


def make_organisation(name="Association of Southeast Asian Nations", short_name="ASEAN", **fields):
    return Organisation.objects.create(
        name=name, short_name=short_name, kind=Organisation.Kind.INTERGOVERNMENTAL, **fields
    )


def make_person(name="Lim Jock Hoi", **fields):
    return Person.objects.create(name=name, **fields)


def make_role(person, organisation, title="Secretary-General", start=datetime.date(2018, 1, 1), end=None):
    return Role.objects.create(person=person, organisation=organisation, title=title, start=start, end=end)


def make_article(title="ASEAN leaders meet", body="<p>“We stand together,” said Lim Jock Hoi.</p>", **fields):
    fields.setdefault("status", Article.Status.PUBLISHED)
    fields.setdefault("published_at", timezone.make_aware(datetime.datetime(2019, 6, 23, 10, 0)))
    return Article.objects.create(title=title, body_html=body, **fields)


def make_quotation(article, speaker, text="We stand together,", **fields):
    return Quotation.objects.create(article=article, speaker=speaker, text=text, **fields)


def make_document(title="ASEAN Charter", kind=Document.Kind.CHARTER, **fields):
    return Document.objects.create(title=title, kind=kind, **fields)
