using System.Globalization;
using System.Text.Json.Nodes;

namespace Knative.Orleans.Silo.Api;

/// <summary>
/// The two PATCH formats of the Kubernetes API server that need no schema: JSON merge patch (RFC 7386,
/// <c>application/merge-patch+json</c>) and JSON patch (RFC 6902, <c>application/json-patch+json</c>). Pure.
/// </summary>
public static class JsonPatches
{
    /// <summary><c>application/merge-patch+json</c>.</summary>
    public const string MergePatch = "application/merge-patch+json";

    /// <summary><c>application/json-patch+json</c>.</summary>
    public const string JsonPatch = "application/json-patch+json";

    /// <summary>RFC 7386: objects merge member by member, <c>null</c> removes, anything else replaces. Returns a new tree.</summary>
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = Merge(result[key], value);
            }
        }

        return result;
    }

    /// <summary>
    /// RFC 6902: applies the operations (<c>add</c>, <c>remove</c>, <c>replace</c>, <c>move</c>, <c>copy</c>, <c>test</c>) in
    /// order to a copy of <paramref name="target"/>. Returns false with a message at the first operation that fails.
    /// </summary>
    public static bool TryApply(JsonNode? target, JsonNode? patch, out JsonNode? result, out string error)
    {
        result = target?.DeepClone();
        error = "";
        if (patch is not JsonArray operations)
        {
            error = "a JSON patch must be an array of operations";
            return false;
        }

        for (var i = 0; i < operations.Count; i++)
        {
            if (operations[i] is not JsonObject op || op["op"]?.GetValue<string>() is not { } kind || op["path"]?.GetValue<string>() is not { } path)
            {
                error = $"operation {i}: \"op\" and \"path\" are required";
                return false;
            }

            var from = op["from"]?.GetValue<string>();
            var ok = kind switch
            {
                "add" => op.ContainsKey("value") && Add(ref result, path, op["value"]?.DeepClone()),
                "remove" => Remove(ref result, path, out _),
                "replace" => op.ContainsKey("value") && Remove(ref result, path, out _) && Add(ref result, path, op["value"]?.DeepClone()),
                "move" => from is not null && Remove(ref result, from, out var moved) && Add(ref result, path, moved),
                "copy" => from is not null && TryGet(result, from, out var copied) && Add(ref result, path, copied?.DeepClone()),
                "test" => TryGet(result, path, out var actual) && JsonNode.DeepEquals(actual, op["value"]),
                _ => false,
            };
            if (!ok)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"operation {i} ({kind} {path}) failed");
                return false;
            }
        }

        return true;
    }

    private static string[] Tokens(string pointer) =>
        pointer.Length == 0 ? [] : pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();

    private static bool TryGet(JsonNode? root, string pointer, out JsonNode? node)
    {
        node = root;
        if (pointer.Length > 0 && pointer[0] != '/')
        {
            return false;
        }

        foreach (var token in Tokens(pointer))
        {
            switch (node)
            {
                case JsonObject o when o.TryGetPropertyValue(token, out var child):
                    node = child;
                    break;
                case JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < a.Count:
                    node = a[index];
                    break;
                default:
                    node = null;
                    return false;
            }
        }

        return true;
    }

    private static bool Add(ref JsonNode? root, string pointer, JsonNode? value)
    {
        if (pointer.Length == 0)
        {
            root = value;
            return true;
        }

        var tokens = Tokens(pointer);
        if (!TryGet(root, "/" + string.Join('/', tokens[..^1].Select(Escape)), out var parent) && tokens.Length > 1)
        {
            return false;
        }

        parent = tokens.Length == 1 ? root : parent;
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                return true;
            case JsonArray a when last == "-":
                a.Add(value);
                return true;
            case JsonArray a when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index <= a.Count:
                a.Insert(index, value);
                return true;
            default:
                return false;
        }
    }

    private static bool Remove(ref JsonNode? root, string pointer, out JsonNode? removed)
    {
        removed = null;
        var tokens = Tokens(pointer);
        if (tokens.Length == 0 || !TryGet(root, pointer, out removed))
        {
            return false;
        }

        TryGet(root, "/" + string.Join('/', tokens[..^1].Select(Escape)), out var parent);
        parent = tokens.Length == 1 ? root : parent;
        switch (parent)
        {
            case JsonObject o:
                o.Remove(tokens[^1]);
                return true;
            case JsonArray a:
                a.RemoveAt(int.Parse(tokens[^1], CultureInfo.InvariantCulture));
                return true;
            default:
                return false;
        }
    }

    private static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
