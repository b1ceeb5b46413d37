from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout, Size
from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .models import Council


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been switched off. Ask your council's admin.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("username", field_width=Fluid.ONE_HALF),
            Field.text("password", field_width=Fluid.ONE_HALF),
            Button("submit", "Sign in"),
        )


class SwitchCouncilForm(forms.Form):
    council = forms.ModelChoiceField(
        queryset=Council.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Which council are you working on?",
        error_messages={"required": "Choose a council", "invalid_choice": "Choose a council"},
    )

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("council", legend_size=Size.MEDIUM, legend_tag="h1"),
            Button("submit", "Continue"),
        )
