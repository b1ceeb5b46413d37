from django.core.paginator import Paginator


class ForgivingPaginationMixin:
    """For ListViews: a bad or out-of-range ?page= shows the nearest real page, not a 404.

    A bookmarked page 7 of a list that has since shrunk should still open.
    """

    def paginate_queryset(self, queryset, page_size):
        paginator = Paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()
