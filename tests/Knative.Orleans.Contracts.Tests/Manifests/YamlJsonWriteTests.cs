using System.Text.Json.Nodes;
using Knative.Orleans.Contracts.Manifests;

namespace Knative.Orleans.Contracts.Tests.Manifests;

public sealed class YamlJsonWriteTests
{
    [Fact]
    public void Writes_block_style_with_flow_for_empty_collections()
    {
        var node = JsonNode.Parse("""{"a":{"b":[1,"two",true,null]},"empty":{},"none":[],"num":-1.5e3,"n":"short"}""");

        Assert.Equal("a:\n  b:\n  - 1\n  - two\n  - true\n  - null\nempty: {}\nnone: []\nnum: -1.5e3\n\"n\": short\n", YamlJson.ToYaml(node));
    }

    [Theory]
    [InlineData("true", "\"true\"")]
    [InlineData("False", "\"False\"")]
    [InlineData("123", "\"123\"")]
    [InlineData("1.5", "\"1.5\"")]
    [InlineData("0x1F", "\"0x1F\"")]
    [InlineData("null", "\"null\"")]
    [InlineData("~", "\"~\"")]
    [InlineData("", "\"\"")]
    [InlineData("yes", "\"yes\"")]
    [InlineData("on", "\"on\"")]
    [InlineData("1_000", "\"1_000\"")]
    [InlineData(".inf", "\".inf\"")]
    [InlineData("a: b", "'a: b'")]
    [InlineData("- item", "'- item'")]
    [InlineData("#comment", "'#comment'")]
    [InlineData("&anchor", "'&anchor'")]
    [InlineData("*alias", "'*alias'")]
    [InlineData("!tag", "'!tag'")]
    [InlineData(" leading", "' leading'")]
    [InlineData("{flow}", "'{flow}'")]
    [InlineData("plain text", "plain text")]
    [InlineData("http://example.com/a?b=c", "http://example.com/a?b=c")]
    public void Strings_that_would_read_back_differently_are_quoted(string value, string written)
    {
        var yaml = YamlJson.ToYaml(new JsonObject { ["v"] = value });

        Assert.Equal("v: " + written + "\n", yaml);
        Assert.Equal(value, YamlJson.ToJson(yaml)!["v"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("line1\nline2\n")]
    [InlineData("line1\nline2")]
    [InlineData(" indented\nnext\n")]
    [InlineData("trailing \nspace")]
    [InlineData("tab\there")]
    [InlineData("control\u0001char")]
    [InlineData("quote ' and \" both")]
    [InlineData("unicode é ü 雪")]
    [InlineData("ends with colon:")]
    [InlineData("x #not a comment")]
    [InlineData("'single'")]
    [InlineData("\"double\"")]
    [InlineData("@at")]
    [InlineData("`tick")]
    [InlineData("%percent")]
    [InlineData("---")]
    [InlineData("...")]
    public void Any_string_round_trips(string value)
    {
        var original = new JsonObject { ["v"] = value, ["list"] = new JsonArray(value, value) };

        var back = YamlJson.ToJson(YamlJson.ToYaml(original));

        Assert.Equal(original.ToJsonString(), back!.ToJsonString());
    }

    [Fact]
    public void Multi_line_strings_use_literal_blocks()
    {
        Assert.Equal("script: |\n  echo a\n  echo b\n", YamlJson.ToYaml(new JsonObject { ["script"] = "echo a\necho b\n" }));
    }

    [Fact]
    public void Long_strings_and_keys_round_trip_without_folding()
    {
        var longValue = string.Join(" ", Enumerable.Repeat("word", 3000));
        var longKey = new string('k', 2000) + ": x";
        var original = new JsonObject { ["v"] = longValue, [longKey] = "true" };

        var yaml = YamlJson.ToYaml(original);

        Assert.Equal("v: " + longValue, yaml.Split('\n')[0]); // one line: no folding
        Assert.Contains("? ", yaml, StringComparison.Ordinal); // a key too long for the simple form uses YAML's explicit key
        Assert.Equal(original.ToJsonString(), YamlJson.ToJson(yaml)!.ToJsonString());
    }
}
