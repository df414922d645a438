namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>
/// Measures AST depth without recursion, so a hostile expression (<c>1+1+1+…</c> a million times) is rejected at parse
/// time instead of overflowing the evaluator's stack inside a grain.
/// </summary>
internal static class CesqlTreeDepth
{
    public static bool Exceeds(CesqlNode root, int maxDepth)
    {
        var pending = new Stack<(CesqlNode Node, int Depth)>();
        pending.Push((root, 1));
        while (pending.TryPop(out var item))
        {
            if (item.Depth > maxDepth)
            {
                return true;
            }

            foreach (CesqlNode child in Children(item.Node))
            {
                pending.Push((child, item.Depth + 1));
            }
        }

        return false;
    }

    private static IEnumerable<CesqlNode> Children(CesqlNode node) => node switch
    {
        CesqlUnaryNode n => [n.Operand],
        CesqlBinaryNode n => [n.Left, n.Right],
        CesqlLikeNode n => [n.Operand],
        CesqlInNode n => [n.Operand, .. n.Set],
        CesqlFunctionCallNode n => n.Arguments,
        _ => [],
    };
}
