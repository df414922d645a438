using System.Globalization;
using Knative.Orleans.Grains.Eventing.Filters.Cesql;
using YamlDotNet.RepresentationModel;

namespace Knative.Orleans.Grains.Tests.Eventing.Cesql;

/// <summary>
/// Loads every <c>*.yaml</c> of the TCK once with YamlDotNet's representation model, so scalar styles stay visible:
/// a plain <c>10</c> is an Integer, a plain <c>true</c>/<c>FALSE</c> a Boolean, anything quoted a String, and
/// timestamps stay verbatim strings. A case without <c>event</c> runs on <see cref="DefaultEvent"/> + <c>eventOverrides</c>.
/// </summary>
internal static class TckCatalog
{
    public static readonly CesqlEvent DefaultEvent = new()
    {
        SpecVersion = "1.0",
        Id = "tck-default-id",
        Source = "/tck/default/source",
        Type = "dev.knative.tck.default",
    };

    private static readonly Lazy<(IReadOnlyList<TckCase> Cases, string Problem)> Loaded = new(Load);

    private static readonly Dictionary<string, CesqlErrorKind> ErrorKinds = new(StringComparer.Ordinal)
    {
        ["parse"] = CesqlErrorKind.Parse,
        ["math"] = CesqlErrorKind.Math,
        ["cast"] = CesqlErrorKind.Cast,
        ["missingAttribute"] = CesqlErrorKind.MissingAttribute,
        ["missingFunction"] = CesqlErrorKind.MissingFunction,
        ["functionEvaluation"] = CesqlErrorKind.FunctionEvaluation,
        ["generic"] = CesqlErrorKind.Generic,
    };

    private static readonly string[] ContextAttributes =
        ["specversion", "id", "source", "type", "subject", "dataschema", "datacontenttype", "time"];

    public static IReadOnlyList<TckCase> Cases => Loaded.Value.Cases;

    /// <summary>Why the TCK could not be loaded; empty when it was.</summary>
    public static string Problem => Loaded.Value.Problem;

    private static (IReadOnlyList<TckCase>, string) Load()
    {
        if (!TckLocator.TryFind(out string directory, out string problem))
        {
            return ([], problem);
        }

        var cases = new List<TckCase>();
        foreach (string path in Directory.GetFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            var yaml = new YamlStream();
            using (var reader = File.OpenText(path))
            {
                yaml.Load(reader);
            }

            var root = (YamlMappingNode)yaml.Documents[0].RootNode;
            string suite = Text(root["name"]);
            foreach (YamlMappingNode test in ((YamlSequenceNode)root["tests"]).Cast<YamlMappingNode>())
            {
                cases.Add(ReadCase(Path.GetFileName(path), suite, test));
            }
        }

        return (cases, "");
    }

    private static TckCase ReadCase(string file, string suite, YamlMappingNode test)
    {
        YamlNode? Get(string key) => test.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? v) ? v : null;

        CesqlEvent cloudEvent = Get("event") is YamlMappingNode full
            ? Apply(new CesqlEvent { SpecVersion = "" }, full)
            : Get("eventOverrides") is YamlMappingNode overrides ? Apply(DefaultEvent, overrides) : DefaultEvent;
        return new TckCase(
            file,
            suite,
            Text(Get("name")!),
            Text(Get("expression")!),
            Get("result") is YamlScalarNode result ? (CesqlValue?)Typed(result) : null,
            Get("error") is YamlScalarNode error ? ErrorKinds[error.Value!] : null,
            cloudEvent);
    }

    /// <summary>Context attributes are strings, verbatim; any other key is an extension that keeps its YAML type.</summary>
    private static CesqlEvent Apply(CesqlEvent cloudEvent, YamlMappingNode attributes)
    {
        var extensions = new Dictionary<string, CesqlValue>(cloudEvent.Extensions, StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in attributes.Children)
        {
            string key = Text(keyNode);
            var scalar = (YamlScalarNode)valueNode;
            cloudEvent = key switch
            {
                "specversion" => cloudEvent with { SpecVersion = scalar.Value! },
                "id" => cloudEvent with { Id = scalar.Value! },
                "source" => cloudEvent with { Source = scalar.Value! },
                "type" => cloudEvent with { Type = scalar.Value! },
                "subject" => cloudEvent with { Subject = scalar.Value },
                "dataschema" => cloudEvent with { DataSchema = scalar.Value },
                "datacontenttype" => cloudEvent with { DataContentType = scalar.Value },
                "time" => cloudEvent with { Time = scalar.Value },
                _ => cloudEvent,
            };
            if (!ContextAttributes.Contains(key))
            {
                extensions[key] = Typed(scalar);
            }
        }

        return cloudEvent with { Extensions = extensions };
    }

    /// <summary>YAML 1.2 core schema for plain scalars: integers and true/false in three casings; else String.</summary>
    private static CesqlValue Typed(YamlScalarNode scalar)
    {
        string text = scalar.Value ?? "";
        if (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain)
        {
            return text;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number))
        {
            return number;
        }

        return text switch
        {
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ => text,
        };
    }

    private static string Text(YamlNode node) => ((YamlScalarNode)node).Value ?? "";
}
