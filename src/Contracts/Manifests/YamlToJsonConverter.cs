using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Knative.Orleans.Contracts.Manifests;

/// <summary>
/// Converts a loaded YAML node tree to a <see cref="JsonNode"/> tree. Aliases are expanded (a JSON node has one parent),
/// recursive aliases are refused, and the number of nodes and the depth are bounded so that an alias bomb cannot exhaust
/// memory. Optionally records where each JSON path starts in the YAML text, so later errors can name a line.
/// </summary>
internal sealed class YamlToJsonConverter(IDictionary<string, Mark>? positions)
{
    /// <summary>Deepest nesting accepted; <see cref="System.Text.Json"/> refuses more than 64 levels by default too.</summary>
    public const int MaxDepth = 64;

    /// <summary>Most JSON nodes one document may expand to (counting every expanded alias).</summary>
    public const int MaxNodes = 200_000;

    private const string StrTag = "tag:yaml.org,2002:str";
    private readonly HashSet<YamlNode> _open = new(ReferenceEqualityComparer.Instance);
    private int _nodes;

    public JsonNode? Convert(YamlNode node) => Convert(node, "$", 0);

    private JsonNode? Convert(YamlNode node, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            throw Error(node, $"YAML nesting is deeper than {MaxDepth} levels");
        }

        if (++_nodes > MaxNodes)
        {
            throw Error(node, $"YAML document expands to more than {MaxNodes} nodes (too many aliases?)");
        }

        positions?.TryAdd(path, node.Start);
        return node switch
        {
            YamlScalarNode scalar => Scalar(scalar),
            YamlSequenceNode sequence => Nested(sequence, () => Sequence(sequence, path, depth)),
            YamlMappingNode mapping => Nested(mapping, () => Mapping(mapping, path, depth)),
            _ => throw Error(node, "unresolved YAML alias"),
        };
    }

    private JsonNode Nested(YamlNode node, Func<JsonNode> convert)
    {
        if (!_open.Add(node))
        {
            throw Error(node, "recursive YAML alias");
        }

        try
        {
            return convert();
        }
        finally
        {
            _open.Remove(node);
        }
    }

    private JsonArray Sequence(YamlSequenceNode sequence, string path, int depth)
    {
        var array = new JsonArray();
        var i = 0;
        foreach (var item in sequence.Children)
        {
            array.Add(Convert(item, path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", depth + 1));
            i++;
        }

        return array;
    }

    private JsonObject Mapping(YamlMappingNode mapping, string path, int depth)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: var name })
            {
                throw Error(key, "mapping keys must be scalars");
            }

            name ??= "";
            if (obj.ContainsKey(name))
            {
                throw Error(key, $"duplicate key \"{name}\"");
            }

            obj[name] = Convert(value, JsonPaths.Child(path, name), depth + 1);
        }

        return obj;
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific)
        {
            return Tagged(scalar, value);
        }

        return scalar.Style is ScalarStyle.Plain or ScalarStyle.Any ? YamlScalars.ResolvePlain(value) : JsonValue.Create(value);
    }

    private static JsonNode? Tagged(YamlScalarNode scalar, string value)
    {
        switch (scalar.Tag.Value)
        {
            case StrTag:
                return JsonValue.Create(value);
            case "tag:yaml.org,2002:null" when YamlScalars.IsNull(value):
                return null;
            case "tag:yaml.org,2002:bool" when YamlScalars.TryBool(value, out var b):
                return JsonValue.Create(b);
            case "tag:yaml.org,2002:int" or "tag:yaml.org,2002:float" when YamlScalars.TryNumber(value, out var n):
                return n;
            case "tag:yaml.org,2002:null" or "tag:yaml.org,2002:bool" or "tag:yaml.org,2002:int" or "tag:yaml.org,2002:float":
                throw Error(scalar, $"\"{value}\" is not a valid {scalar.Tag.Value[18..]}");
            default:
                // Unknown (application) tags carry no meaning here: type the content as if untagged.
                return scalar.Style is ScalarStyle.Plain or ScalarStyle.Any ? YamlScalars.ResolvePlain(value) : JsonValue.Create(value);
        }
    }

    private static FormatException Error(YamlNode node, string message) =>
        new(YamlJson.At(node.Start, message));
}
