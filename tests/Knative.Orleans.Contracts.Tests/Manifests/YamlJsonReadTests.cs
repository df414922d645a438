using System.Text.Json.Nodes;
using Knative.Orleans.Contracts.Manifests;

namespace Knative.Orleans.Contracts.Tests.Manifests;

public sealed class YamlJsonReadTests
{
    public static TheoryData<string, string> PlainScalars => new()
    {
        { "", "null" },
        { "~", "null" },
        { "null", "null" },
        { "Null", "null" },
        { "NULL", "null" },
        { "true", "true" },
        { "True", "true" },
        { "TRUE", "true" },
        { "false", "false" },
        { "FALSE", "false" },
        { "yes", "\"yes\"" },
        { "off", "\"off\"" },
        { "0", "0" },
        { "-17", "-17" },
        { "+5", "5" },
        { "007", "7" },
        { "0x1F", "31" },
        { "0o17", "15" },
        { "0xFFFFFFFFFFFFFFFFFF", "4722366482869645213695" },
        { "1.5", "1.5" },
        { "-0.25", "-0.25" },
        { ".5", "0.5" },
        { "5.", "5" },
        { "1e3", "1e3" },
        { "6.02E+23", "6.02e+23" },
        { ".inf", "\".inf\"" },
        { ".NaN", "\".NaN\"" },
        { "0b101", "\"0b101\"" },
        { "1_000", "\"1_000\"" },
        { "12:30", "\"12:30\"" },
        { "1.2.3", "\"1.2.3\"" },
        { "0x", "\"0x\"" },
        { "hello world", "\"hello world\"" },
        { "ghcr.io/knative/helloworld-go:latest", "\"ghcr.io/knative/helloworld-go:latest\"" },
        { "nulls", "\"nulls\"" },
    };

    [Theory]
    [MemberData(nameof(PlainScalars))]
    public void Plain_scalars_follow_the_core_schema(string scalar, string json) =>
        Assert.Equal(json, Json("v: " + scalar));

    [Theory]
    [InlineData("'true'", "\"true\"")]
    [InlineData("\"123\"", "\"123\"")]
    [InlineData("''", "\"\"")]
    [InlineData("\"null\"", "\"null\"")]
    [InlineData("!!str 8080", "\"8080\"")]
    [InlineData("!!int \"42\"", "42")]
    [InlineData("!!bool 'true'", "true")]
    [InlineData("!!null ''", "null")]
    [InlineData("!custom 42", "42")]
    [InlineData("|\n  line1\n  line2\n", "\"line1\\nline2\\n\"")]
    [InlineData("|-\n  line1\n  line2\n", "\"line1\\nline2\"")]
    [InlineData(">-\n  folded\n  text", "\"folded text\"")]
    [InlineData("|\n  123\n", "\"123\\n\"")]
    public void Quoted_block_and_tagged_scalars(string scalar, string json) =>
        Assert.Equal(json, Json("v: " + scalar));

    [Fact]
    public void Keys_are_always_strings()
    {
        Assert.Equal("""{"1":"a","true":"b","":"c","null":"d"}""", Json("1: a\ntrue: b\n'': c\nnull: d"));
    }

    [Fact]
    public void Anchors_and_aliases_are_expanded()
    {
        const string yaml = """
            base: &env
              - name: A
                value: "1"
            first: *env
            second: *env
            port: &p 8080
            again: *p
            """;

        Assert.Equal(
            """{"base":[{"name":"A","value":"1"}],"first":[{"name":"A","value":"1"}],"second":[{"name":"A","value":"1"}],"port":8080,"again":8080}""",
            Json(yaml));
    }

    [Theory]
    [InlineData("a: &x\n  b: *x\n", "line 1, column 4: recursive YAML alias")]
    [InlineData("a: *missing\n", "line 1, column 1: The anchor 'missing' does not exists")]
    [InlineData("? [a, b]\n: c\n", "line 1, column 3: mapping keys must be scalars")]
    [InlineData("a: 1\na: 2\n", "line 2, column 1: duplicate key \"a\"")]
    [InlineData("", "expected exactly one YAML document, got 0")]
    [InlineData("--- a\n--- b\n", "expected exactly one YAML document, got 2")]
    [InlineData("v: !!int abc\n", "line 1, column 4: \"abc\" is not a valid int")]
    [InlineData("a: [1, 2\n", "line 2, column 1: While parsing a flow sequence, did not find expected ',' or ']'.")]
    public void Invalid_yaml_throws_a_format_exception_with_the_position(string yaml, string message)
    {
        var e = Assert.Throws<FormatException>(() => YamlJson.ToJson(yaml));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void An_alias_bomb_is_refused()
    {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
        for (var i = 1; i < 10; i++)
        {
            yaml += $"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n";
        }

        var e = Assert.Throws<FormatException>(() => YamlJson.ToJson(yaml));

        Assert.EndsWith("YAML document expands to more than 200000 nodes (too many aliases?)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_of_only_a_null_is_null() => Assert.Null(YamlJson.ToJson("---\n"));

    private static string Json(string yaml) => YamlJson.ToJson(yaml) is JsonObject obj && obj.Count == 1 && obj.ContainsKey("v")
        ? obj["v"]?.ToJsonString() ?? "null"
        : YamlJson.ToJson(yaml)!.ToJsonString();
}
