using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Knative.Orleans.Contracts.Serving;
using YamlDotNet.Core;

namespace Knative.Orleans.Contracts.Manifests;

/// <summary>
/// Turns System.Text.Json exceptions into short messages a user can act on: the field path in Knative's notation, the line
/// (and column) where known, and what was expected. .NET type names never appear.
/// </summary>
internal static class ManifestErrors
{
    private const string ConversionPrefix = "The JSON value could not be converted to ";

    /// <param name="e">The exception.</param>
    /// <param name="root">The type being read.</param>
    /// <param name="options">The options it was read with (to find the expected type of the failing field).</param>
    /// <param name="yamlPositions">For YAML input: where each JSON path starts in the YAML text; null for JSON input.</param>
    public static string Describe(JsonException e, Type root, JsonSerializerOptions options, IDictionary<string, Mark>? yamlPositions)
    {
        var field = JsonPaths.Render(e.Path);
        var where = Where(e, yamlPositions);
        var message = e.Message;
        if (message.StartsWith(ConversionPrefix, StringComparison.Ordinal))
        {
            var expected = Describe(ExpectedType(root, e.Path, options), options);
            return field.Length == 0
                ? $"invalid value{where}: expected {expected}"
                : $"invalid value at {field}{where}: expected {expected}";
        }

        // A syntax error from the reader ("'}' is invalid after a property name...") or a message of one of our converters.
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        cut = cut < 0 ? message.IndexOf(" LineNumber: ", StringComparison.Ordinal) : cut;
        message = cut < 0 ? message : message[..cut];
        if (e.InnerException is not null && yamlPositions is null)
        {
            return $"invalid JSON{where}: {message}";
        }

        return field.Length == 0 ? $"invalid value{where}: {message}" : $"invalid value at {field}{where}: {message}";
    }

    private static string Where(JsonException e, IDictionary<string, Mark>? yamlPositions)
    {
        if (yamlPositions is not null)
        {
            return e.Path is not null && yamlPositions.TryGetValue(e.Path, out var mark)
                ? string.Create(CultureInfo.InvariantCulture, $" (line {mark.Line})")
                : "";
        }

        return e.LineNumber is { } line
            ? string.Create(CultureInfo.InvariantCulture, $" at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}")
            : "";
    }

    /// <summary>The declared type at <paramref name="path"/> below <paramref name="root"/>, or null when it cannot be followed.</summary>
    private static Type? ExpectedType(Type root, string? path, JsonSerializerOptions options)
    {
        Type? type = root;
        foreach (var segment in JsonPaths.Segments(path))
        {
            if (type is null)
            {
                return null;
            }

            var info = options.GetTypeInfo(type);
            type = (info.Kind, segment) switch
            {
                (JsonTypeInfoKind.Object, string name) => info.Properties.FirstOrDefault(p => p.Name == name)?.PropertyType,
                (JsonTypeInfoKind.Dictionary, string) or (JsonTypeInfoKind.Enumerable, int) => info.ElementType,
                _ => null,
            };
        }

        return type;
    }

    private static string Describe(Type? type, JsonSerializerOptions options)
    {
        if (type is null)
        {
            return "a value of another type";
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return "a string (put the value in quotes)";
        }

        if (type == typeof(bool))
        {
            return "a boolean (true or false)";
        }

        if (type == typeof(IntOrString))
        {
            return "an integer or a string";
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(uint) || type == typeof(ulong))
        {
            return "an integer";
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return "a number";
        }

        return options.GetTypeInfo(type).Kind switch
        {
            JsonTypeInfoKind.Dictionary => "a map (an object of keys and values)",
            JsonTypeInfoKind.Enumerable => "a list (an array)",
            _ => "an object",
        };
    }
}
