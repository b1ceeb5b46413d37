from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout, Size
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm

from config.govuk_forms import GovukForm

from .models import Council, Role


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
        self.helper.form_tag = False  # the template has the form (one form, not one in another)
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
        self.helper.form_tag = False  # the template has the form (one form, not one in another)
        self.helper.layout = Layout(
            Field.radios("council", legend_size=Size.MEDIUM, legend_tag="h1"),
            Button("submit", "Continue"),
        )


# --- The Team page ------------------------------------------------------------------------------

ROLE_CHOICES = (
    Choice(Role.STAFF, "Staff", hint="Logs progress on the actions they own or contribute to"),
    Choice(Role.MANAGER, "Manager", hint="Also adds, edits, reassigns and signs off actions"),
    Choice(Role.ADMIN, "Admin", hint="Also enters inspection letters and runs the team"),
)


def _role_field(label: str) -> forms.ChoiceField:
    # Staff, manager or admin and nothing else: there is no way to give staff status or
    # superuser powers here.
    return forms.ChoiceField(
        label=label,
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a role",
            "invalid_choice": "Choose staff, manager or admin",
        },
    )


def _name_field(label: str, noun: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": f"Enter their {noun}",
            "max_length": f"Their {noun} must be 150 characters or fewer",
        },
    )


class InviteForm(GovukForm):
    first_name = _name_field("First name", "first name")
    last_name = _name_field("Last name", "last name")
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="Their work email address. The invitation is sent here.",
        # A TextInput of type email: crispy-forms-gds gives only TextInputs the error border.
        widget=forms.TextInput(
            attrs={"type": "email", "autocomplete": "off", "spellcheck": "false"}
        ),
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
            "max_length": "The email address must be 254 characters or fewer",
        },
    )
    job_title = forms.CharField(
        label="Job title (optional)",
        max_length=150,
        required=False,
        help_text="For example, Head of Service, Children in Care",
        error_messages={"max_length": "The job title must be 150 characters or fewer"},
    )
    role = _role_field("Role")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper(
            Field.text("first_name", field_width=Fluid.ONE_HALF),
            Field.text("last_name", field_width=Fluid.ONE_HALF),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.text("job_title", field_width=Fluid.TWO_THIRDS),
            Field.radios("role", legend_size=Size.SMALL),
            Button("submit", "Send invitation"),
        )


class ChangeRoleForm(GovukForm):
    role = _role_field("Role")

    def __init__(self, *args, person: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].label = f"What should {person}'s role be?"
        self.helper = self._helper(
            Field.radios("role", legend_size=Size.MEDIUM),
            Button("submit", "Save role"),
        )


class SetOwnPasswordForm(GovukForm, SetPasswordForm):
    """Django's set-password form (its validators included), in the GOV.UK style."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        new, again = self.fields["new_password1"], self.fields["new_password2"]
        new.label, again.label = "New password", "Confirm new password"
        new.help_text = (
            "At least 12 characters. Not a common password, not only numbers, and not like "
            "your name, username or email address."
        )
        new.error_messages["required"] = "Enter a new password"
        again.error_messages["required"] = "Enter the new password again"
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": "The two passwords do not match",
        }
        # The width as the widget's own class (not the layout's), so that full_clean can
        # add the error border to it.
        for field in (new, again):
            field.widget.attrs["class"] = Fluid.for_input(Fluid.ONE_HALF)
        self.helper = self._helper(
            Field.text("new_password1"),
            Field.text("new_password2"),
            Button("submit", "Set password"),
        )

    def full_clean(self):
        super().full_clean()
        # crispy-forms-gds gives password inputs no error border: add it.
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} govuk-input--error".strip()


class ChangeOwnPasswordForm(SetOwnPasswordForm, PasswordChangeForm):
    """Changing one's own password, signed in: the current one first, as Django asks."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.fields["old_password"]
        current.label = "Current password"
        current.error_messages["required"] = "Enter your current password"
        current.widget.attrs["class"] = Fluid.for_input(Fluid.ONE_HALF)
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": "Your current password is wrong. Enter it again.",
        }
        self.helper = self._helper(
            Field.text("old_password"),
            Field.text("new_password1"),
            Field.text("new_password2"),
            Button("submit", "Change password"),
        )
