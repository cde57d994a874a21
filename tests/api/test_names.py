"""Name and label rules with upstream message texts (apimachinery validation.go)."""

from kubenb.api import names

SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
             "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
             "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
LABEL = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
         "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
         "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
DNS1035 = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
           "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
           "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")
QUALIFIED = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
             "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
             "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
LABEL_VALUE = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
               "must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
               "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")


def test_subdomain():
    assert names.is_dns1123_subdomain("my-app.example") == []
    assert names.is_dns1123_subdomain("My_App") == [SUBDOMAIN]
    assert names.is_dns1123_subdomain("a" * 254) == ["must be no more than 253 characters"]


def test_label():
    assert names.is_dns1123_label("web-1") == []
    assert names.is_dns1123_label("Web") == [LABEL]
    assert names.is_dns1123_label("a.b") == ["must not contain dots"]
    assert names.is_dns1123_label("a" * 64) == ["must be no more than 63 characters"]


def test_dns1035_label():
    assert names.is_dns1035_label("web") == []
    assert names.is_dns1035_label("1web") == [DNS1035]


def test_qualified_name_and_label_value():
    assert names.is_qualified_name("app.kubernetes.io/name") == []
    assert names.is_qualified_name("app:monolith") == [QUALIFIED]
    assert names.is_qualified_name("/x") == ["prefix part must be non-empty"]
    assert names.is_qualified_name("x/") == ["name part must be non-empty"]
    assert names.is_qualified_name("a" * 64) == ["name part must be no more than 63 characters"]
    assert names.is_qualified_name("Bad_Prefix/x") == ["prefix part " + SUBDOMAIN]
    assert names.is_valid_label_value("") == []
    assert names.is_valid_label_value("-x") == [LABEL_VALUE]
