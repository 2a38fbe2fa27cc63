"""Reading the archive without typing: home, articles, quotations, speakers, organisations, documents."""

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render

from archive.models import Article, Document, Organisation, Person, Quotation, Role


def home(request):
    latest_articles = Article.objects.published().latest_first().select_related("publisher")[:10]
    return render(request, "archive/home.html", {"latest_articles": latest_articles})


def article_detail(request, slug):
    article = get_object_or_404(Article.objects.published().select_related("publisher"), slug=slug)
    quotations = article.quotations.public().with_related()
    documents = Document.objects.filter(Q(mentions__article=article) | Q(quotations__in=quotations)).distinct()
    speakers = Person.objects.filter(quotations__in=quotations).distinct()
    return render(
        request,
        "archive/article_detail.html",
        {
            "article": article,
            "quotations": quotations,
            "documents": documents.order_by("title"),
            "speakers": speakers,
        },
    )


def quotation_detail(request, pk):
    quotation = get_object_or_404(Quotation.objects.public().with_related(), pk=pk)
    return render(request, "archive/quotation_detail.html", {"quotation": quotation})


def person_detail(request, slug):
    person = get_object_or_404(
        Person.objects.prefetch_related(
            Prefetch("roles", queryset=Role.objects.select_related("organisation").order_by("-start"))
        ),
        slug=slug,
    )
    quotations = person.quotations.public().with_related().order_by("-article__published_at", "start")
    return render(request, "archive/person_detail.html", {"person": person, "quotations": quotations})


def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), slug=slug)
    articles = organisation.published_articles.published().latest_first()[:20]
    return render(request, "archive/organisation_detail.html", {"organisation": organisation, "articles": articles})


def document_detail(request, slug):
    document = get_object_or_404(Document, slug=slug)
    quotations = document.quotations.public().with_related().order_by("-article__published_at", "start")
    return render(request, "archive/document_detail.html", {"document": document, "quotations": quotations})
