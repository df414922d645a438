using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Knative.Orleans.Contracts.Manifests;

/// <summary>
/// Converts between YAML text and <see cref="JsonNode"/> trees, the way Kubernetes tools treat YAML: as another spelling of JSON.
/// </summary>
/// <remarks>
/// Reading types plain scalars by the YAML 1.2 core schema: empty, <c>~</c> and <c>null</c> are null; <c>true</c>/<c>false</c>
/// (also <c>True</c>, <c>TRUE</c>…) are booleans; decimal, <c>0o</c> and <c>0x</c> integers and decimal floats are numbers;
/// everything else, and every quoted or block scalar, is a string. <c>yes</c>/<c>no</c>/<c>on</c>/<c>off</c> are strings,
/// as in YAML 1.2. <c>.inf</c> and <c>.nan</c> stay strings because JSON cannot hold them. Standard tags (<c>!!str</c>,
/// <c>!!int</c>, …) are honoured. Anchors and aliases are expanded; recursive aliases are refused.
/// </remarks>
public static class YamlJson
{
    /// <summary>
    /// Parses exactly one YAML document into a JSON tree (null for an empty or <c>null</c> document).
    /// </summary>
    /// <exception cref="FormatException">The text is not valid YAML, holds zero or several documents, has a non-scalar or
    /// duplicate mapping key, or a recursive alias. The message names the line and column.</exception>
    public static JsonNode? ToJson(string yaml) => ToJson(yaml, null);

    /// <summary>Like <see cref="ToJson(string)"/>, also recording where each JSON path (as System.Text.Json spells it) starts.</summary>
    internal static JsonNode? ToJson(string yaml, IDictionary<string, Mark>? positions)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            // YamlDotNet reports "Duplicate key kind"; quote the key as the converter's own messages do.
            var message = e.Message.StartsWith("Duplicate key ", StringComparison.Ordinal)
                ? "duplicate key \"" + e.Message["Duplicate key ".Length..] + "\""
                : e.Message;
            throw new FormatException(At(e.Start, message), e);
        }

        if (stream.Documents.Count != 1)
        {
            throw new FormatException(
                string.Create(CultureInfo.InvariantCulture, $"expected exactly one YAML document, got {stream.Documents.Count}"));
        }

        return new YamlToJsonConverter(positions).Convert(stream.Documents[0].RootNode);
    }

    /// <summary>
    /// Writes a JSON tree as one YAML document in block style (empty objects and arrays as <c>{}</c> and <c>[]</c>).
    /// Strings that would read back as another type (<c>"true"</c>, <c>"123"</c>, <c>"null"</c>, <c>""</c>, and YAML 1.1
    /// forms such as <c>"yes"</c>) or that YAML cannot write plain (<c>"a: b"</c>, <c>"- x"</c>, leading spaces) are quoted;
    /// multi-line strings use literal blocks where possible. <see cref="ToJson(string)"/> reads the result back unchanged.
    /// </summary>
    public static string ToYaml(JsonNode? node)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        var emitter = new Emitter(writer, 2, int.MaxValue, false);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, true));
        Emit(emitter, node);
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    /// <summary>Prefixes a message with the 1-based line and column of <paramref name="mark"/>, when known.</summary>
    internal static string At(Mark mark, string message) =>
        mark.Line > 0
            ? string.Create(CultureInfo.InvariantCulture, $"line {mark.Line}, column {mark.Column}: {message}")
            : message;

    private static void Emit(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Block));
                foreach (var (key, value) in obj)
                {
                    EmitString(emitter, key);
                    Emit(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Block));
                foreach (var item in array)
                {
                    Emit(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case null:
                EmitPlain(emitter, "null");
                break;
            default:
                EmitValue(emitter, node.AsValue());
                break;
        }
    }

    private static void EmitValue(IEmitter emitter, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                EmitString(emitter, value.GetValue<string>());
                break;
            case JsonValueKind.True:
                EmitPlain(emitter, "true");
                break;
            case JsonValueKind.False:
                EmitPlain(emitter, "false");
                break;
            case JsonValueKind.Number:
                EmitPlain(emitter, value.ToJsonString());
                break;
            default:
                EmitPlain(emitter, "null");
                break;
        }
    }

    private static void EmitPlain(IEmitter emitter, string text) =>
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, ScalarStyle.Plain, true, false));

    private static void EmitString(IEmitter emitter, string text)
    {
        // The emitter falls back to a quoted style whenever the requested one cannot hold the text.
        var style = YamlScalars.NeedsQuotes(text) ? ScalarStyle.DoubleQuoted
            : text.Contains('\n') ? ScalarStyle.Literal
            : ScalarStyle.Any;
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, style, true, true));
    }
}
