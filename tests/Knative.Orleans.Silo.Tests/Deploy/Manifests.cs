using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Knative.Orleans.Silo.Tests.Deploy;

/// <summary>The files of deploy/: every YAML document of deploy/kubernetes, and the known configuration keys.</summary>
internal static class Manifests
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Dir => Path.Combine(RepoRoot, "deploy", "kubernetes");

    /// <summary>(file, document) for every document, in file order.</summary>
    public static IReadOnlyList<(string File, YamlMappingNode Doc)> All { get; } = Load();

    public static IEnumerable<YamlMappingNode> OfKind(string kind) => All.Select(d => d.Doc).Where(d => Str(d, "kind") == kind);

    public static YamlNode? At(YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out node))
            {
                return null;
            }
        }

        return node;
    }

    public static string? Str(YamlNode? node, params string[] path) => (At(node, path) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Seq(YamlNode? node, params string[] path) =>
        At(node, path) is YamlSequenceNode s ? s.Children : [];

    public static Dictionary<string, string> Map(YamlNode? node, params string[] path) =>
        At(node, path) is YamlMappingNode m
            ? m.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => (kv.Value as YamlScalarNode)?.Value ?? "")
            : [];

    /// <summary>Every key of deploy/local/appsettings.Local.json as <c>Section:Key</c> (sections themselves included).</summary>
    public static HashSet<string> LocalSettingsKeys()
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot, "deploy", "local", "appsettings.Local.json"));
        using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        void Walk(JsonElement e, string prefix)
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            foreach (var p in e.EnumerateObject())
            {
                var key = prefix.Length == 0 ? p.Name : prefix + ":" + p.Name;
                keys.Add(key);
                Walk(p.Value, key);
            }
        }

        Walk(doc.RootElement, "");
        return keys;
    }

    private static List<(string, YamlMappingNode)> Load()
    {
        var docs = new List<(string, YamlMappingNode)>();
        foreach (var file in Directory.GetFiles(Dir, "*.yaml").Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using var reader = new StreamReader(file);
            stream.Load(reader);
            docs.AddRange(stream.Documents.Select(d => (Path.GetFileName(file), (YamlMappingNode)d.RootNode)));
        }

        return docs;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Knative.Orleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root (Knative.Orleans.sln) not found above " + AppContext.BaseDirectory);
    }
}
