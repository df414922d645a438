using System.Text.Json.Nodes;
using Knative.Orleans.Silo.Api;

namespace Knative.Orleans.Silo.Tests.Api;

/// <summary>RFC 7386 (the RFC's appendix A examples) and RFC 6902 (its appendix A examples) on <see cref="JsonPatches"/>.</summary>
public sealed class JsonPatchesTests
{
    public static TheoryData<string, string, string> MergeCases => new()
    {
        { """{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""" },
        { """{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""" },
        { """{"a":"b"}""", """{"a":null}""", """{}""" },
        { """{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""" },
        { """{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""" },
        { """{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""" },
        { """{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""" },
        { """{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""" },
        { """["a","b"]""", """["c","d"]""", """["c","d"]""" },
        { """{"a":"b"}""", """["c"]""", """["c"]""" },
        { """{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""" },
        { """[1,2]""", """{"a":"b","c":null}""", """{"a":"b"}""" },
        { """{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""" },
    };

    [Theory]
    [MemberData(nameof(MergeCases))]
    public void Merge(string target, string patch, string want) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(want), JsonPatches.Merge(JsonNode.Parse(target), JsonNode.Parse(patch))));

    public static TheoryData<string, string, string?> PatchCases => new()
    {
        { """{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux"}]""", """{"foo":"bar","baz":"qux"}""" },
        { """{"foo":["bar","baz"]}""", """[{"op":"add","path":"/foo/1","value":"qux"}]""", """{"foo":["bar","qux","baz"]}""" },
        { """{"baz":"qux","foo":"bar"}""", """[{"op":"remove","path":"/baz"}]""", """{"foo":"bar"}""" },
        { """{"foo":["bar","qux","baz"]}""", """[{"op":"remove","path":"/foo/1"}]""", """{"foo":["bar","baz"]}""" },
        { """{"baz":"qux","foo":"bar"}""", """[{"op":"replace","path":"/baz","value":"boo"}]""", """{"baz":"boo","foo":"bar"}""" },
        {
            """{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}""", """[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]""",
            """{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"""
        },
        { """{"foo":["all","grass","cows","eat"]}""", """[{"op":"move","from":"/foo/1","path":"/foo/3"}]""", """{"foo":["all","cows","eat","grass"]}""" },
        { """{"baz":"qux","foo":["a",2,"c"]}""", """[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]""", """{"baz":"qux","foo":["a",2,"c"]}""" },
        { """{"baz":"qux"}""", """[{"op":"test","path":"/baz","value":"bar"}]""", null },
        { """{"foo":"bar"}""", """[{"op":"add","path":"/baz/bat","value":"qux"}]""", null },
        { """{"foo":["bar"]}""", """[{"op":"add","path":"/foo/-","value":["abc","def"]}]""", """{"foo":["bar",["abc","def"]]}""" },
        { """{"/":9,"~1":10}""", """[{"op":"test","path":"/~01","value":10}]""", """{"/":9,"~1":10}""" },
        { """{"foo":"bar"}""", """[{"op":"copy","from":"/foo","path":"/baz"}]""", """{"foo":"bar","baz":"bar"}""" },
        { """{"foo":"bar"}""", """[{"op":"remove","path":"/nope"}]""", null },
        { """{"foo":"bar"}""", """{"op":"remove"}""", null },
    };

    [Theory]
    [MemberData(nameof(PatchCases))]
    public void Patch(string target, string patch, string? want)
    {
        var ok = JsonPatches.TryApply(JsonNode.Parse(target), JsonNode.Parse(patch), out var result, out var error);

        Assert.Equal(want is not null, ok);
        if (want is not null)
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(want), result), result?.ToJsonString());
        }
        else
        {
            Assert.NotEmpty(error);
        }
    }
}
