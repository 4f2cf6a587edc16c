from django import template

from cms.money import money as format_money

register = template.Library()


@register.filter
def money(amount):
    """`{{ entry.cost_cad|money }}`: see cms.money.money."""
    return format_money(amount)
