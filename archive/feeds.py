"""Atom feeds: the latest articles, and the latest statements per organisation, speaker, document and search.

Feeds only ever contain published articles and public (confirmed, published) quotations. The search feed runs
the search page's own search (archive.search, archive.forms) with the same URL parameters, newest first, so a
reader can follow any search as an alert.
"""

import datetime
from heapq import merge

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator

from archive.forms import SearchForm
from archive.languages import html_lang
from archive.models import Article, Document, Organisation, Person, Quotation
from archive.search import SearchUnavailable, describe_filters, search
from archive.views.browse import quotations_of_people_in

FEED_LENGTH = 30
SITE_NAME = "Policy statement archive"


def summary(text: str, words: int = 60) -> str:
    return Truncator(" ".join((text or "").split())).words(words)


class AtomFeedWithEntryLanguages(Atom1Feed):
    """Atom whose entries say the language of their text (`xml:lang`), which may differ from the feed's."""

    def item_attributes(self, item):
        attributes = super().item_attributes(item)
        if item.get("language"):
            attributes["xml:lang"] = item["language"]
        return attributes


class ArchiveFeed(Feed):
    """Shared item rendering: articles and quotations, each with its own permanent page as the link and id."""

    feed_type = AtomFeedWithEntryLanguages
    author_name = SITE_NAME

    def item_extra_kwargs(self, item):
        article = item.article if isinstance(item, Quotation) else item
        return {"language": html_lang(article.language)}

    def item_title(self, item):
        if isinstance(item, Quotation):
            words = Truncator(item.text).words(16)
            return f"{item.speaker.name}: “{words}”" if item.is_direct else f"{item.speaker.name}: {words}"
        return item.title

    def item_description(self, item):
        if isinstance(item, Quotation):
            role = f", {item.role.describe()}" if item.role else ""
            return f"“{item.text}” — {item.speaker.name}{role}, {item.date_display}. In: {item.article.title}."
        return summary(item.body_text)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        if isinstance(item, Quotation):
            if item.said_on and item.said_on != timezone.localdate(item.article.published_at):
                return timezone.make_aware(datetime.datetime.combine(item.said_on, datetime.time(12)))
            return item.article.published_at
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        if isinstance(item, Quotation):
            return item.speaker.name
        return item.publisher.name if item.publisher else (item.source_name or SITE_NAME)

    def item_categories(self, item):
        if isinstance(item, Quotation):
            return [document.title for document in item.documents.all()]
        return ()


class LatestArticlesFeed(ArchiveFeed):
    title = f"{SITE_NAME}: latest articles"
    subtitle = "Articles newly added to the archive, with the officials they quote."

    def link(self):
        return reverse("archive:home")

    def items(self):
        return Article.objects.published().latest_first().select_related("publisher")[:FEED_LENGTH]


class SpeakerFeed(ArchiveFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Person.objects.public(), slug=slug)

    def title(self, person):
        return f"{SITE_NAME}: statements by {person.name}"

    def subtitle(self, person):
        return f"The latest quotations of {person.name} in the archive."

    def link(self, person):
        return person.get_absolute_url()

    def items(self, person):
        return person.quotations.public().newest(FEED_LENGTH)


class DocumentFeed(ArchiveFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Document.objects.public(), slug=slug)

    def title(self, document):
        return f"{SITE_NAME}: statements referring to the {document.title}"

    def subtitle(self, document):
        return f"The latest quotations that refer to the {document.title}."

    def link(self, document):
        return document.get_absolute_url()

    def items(self, document):
        quotations = Quotation.objects.public().filter(document_links__document=document)
        return quotations.newest(FEED_LENGTH)


class OrganisationFeed(ArchiveFeed):
    """What the organisation's page shows as new: its people's statements and the articles it published."""

    def get_object(self, request, slug):
        return get_object_or_404(Organisation.objects.public(), slug=slug)

    def title(self, organisation):
        return f"{SITE_NAME}: {organisation.name}"

    def subtitle(self, organisation):
        return f"The latest statements of people of the {organisation.name}, and the articles it published."

    def link(self, organisation):
        return organisation.get_absolute_url()

    def items(self, organisation):
        body_ids = [organisation.pk, *organisation.children.public().values_list("pk", flat=True)]
        quotations = quotations_of_people_in(body_ids).newest(FEED_LENGTH)
        articles = organisation.published_articles.published().latest_first().select_related("publisher")
        newest = merge(quotations, articles[:FEED_LENGTH], key=self.item_pubdate, reverse=True)
        return [item for item, _ in zip(newest, range(FEED_LENGTH), strict=False)]


class SearchFeed(ArchiveFeed):
    """/feeds/search/?q=...&speaker=...: the newest quotations (or articles, with type=articles) a search finds."""

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except SearchUnavailable:
            return HttpResponse("Search is unavailable for a moment; try again later.", status=503)

    def get_object(self, request):
        params = SearchForm(request.GET).params()
        if params.type not in ("quotations", "articles"):
            raise Http404("Search feeds follow quotations or articles.")
        return params.replace(sort="newest", page=1, per_page=FEED_LENGTH)

    def title(self, params):
        words = f"“{params.q}”" if params.q else "everything"
        filters = "; ".join(f"{title}: {label}" for _, title, label in describe_filters(params))
        kind = "articles" if params.type == "articles" else "quotations"
        return f"{SITE_NAME}: {kind} matching {words}" + (f" ({filters})" if filters else "")

    def subtitle(self, params):
        return "The newest results of this search, as on the search page."

    def link(self, params):
        query = params.urlencode(sort="", page=1)
        return reverse("archive:search") + (f"?{query}" if query else "")

    def feed_url(self, params):
        query = params.urlencode(sort="", page=1)
        return reverse("archive:feed_search") + (f"?{query}" if query else "")

    def items(self, params):
        return [hit.object for hit in search(params, with_facets=False, with_extras=False).hits]
