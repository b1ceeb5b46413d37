from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Button, Field, Size
from django import forms
from django.conf import settings

from actions.rag import DUE_SOON_DAYS, STALE_AFTER_DAYS
from config.govuk_forms import GovukForm

from .models import Frequency


def frequency_choices() -> tuple[Choice, ...]:
    weekly_day = settings.REMINDERS_WEEKLY_DAY.capitalize()
    return (
        Choice(
            Frequency.DAILY,
            "Every day",
            hint=f"On any day when one of your actions is overdue, due in the next "
            f"{DUE_SOON_DAYS} days or has had no update for {STALE_AFTER_DAYS} days",
        ),
        Choice(Frequency.WEEKLY, "Once a week", hint=f"The same email, on {weekly_day}s only"),
        Choice(Frequency.NONE, "Never", hint="You will not get reminders about your actions"),
    )


class ReminderPreferenceForm(GovukForm):
    frequency = forms.ChoiceField(
        label="How often do you want reminder emails?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how often you want reminder emails",
            "invalid_choice": "Choose every day, once a week or never",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["frequency"].choices = frequency_choices()
        self.helper = self._helper(
            Field.radios("frequency", legend_size=Size.MEDIUM),
            Button("submit", "Save"),
        )
