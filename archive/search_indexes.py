"""haystack indexes. Quotations are the main thing searched."""

from haystack import indexes

from archive.models import Quotation


class QuotationIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, use_template=True)
    speaker = indexes.CharField(model_attr="speaker__name")
    date = indexes.DateField(model_attr="date")

    def get_model(self):
        return Quotation

    def index_queryset(self, using=None):
        return self.get_model().objects.public().with_related()
