/**
 * The cases of iris-hep/func_adl_uproot's `tests/test_executor.py` (v2.2.0, MIT): each query as that suite writes it
 * (Python text, or qastle where the suite sends qastle) and its assertions as checks; `path` reads the result as
 * the suite's awkward array does (`['0']`, `.pt` apply to every row; a number picks one row).
 */
import type { SuiteCase } from './suite-checks.js';

export const EXECUTOR_CASES: readonly SuiteCase[] = [
  {
    test: 'test_ast_executor',
    query: "EventDataset('tests/scalars_tree_file.root', 'tree')",
    checks: [
      { path: [], fields: ['int_branch', 'long_branch', 'float_branch', 'double_branch', 'bool_branch'] },
    ],
  },
  {
    test: 'test_ast_executor_without_treename',
    query: "EventDataset('tests/scalars_tree_file.root')",
    checks: [
      { path: [], fields: ['int_branch', 'long_branch', 'float_branch', 'double_branch', 'bool_branch'] },
    ],
  },
  {
    test: 'test_ast_executor_list',
    query: "EventDataset(['tests/scalars_tree_file.root'], 'tree')",
    checks: [
      { path: [], fields: ['int_branch', 'long_branch', 'float_branch', 'double_branch', 'bool_branch'] },
    ],
  },
  {
    test: 'test_ast_executor_list_without_treename',
    query: "EventDataset(['tests/scalars_tree_file.root'])",
    checks: [
      { path: [], fields: ['int_branch', 'long_branch', 'float_branch', 'double_branch', 'bool_branch'] },
    ],
  },
  {
    test: 'test_ast_executor_select_number',
    query: "Select(EventDataset('tests/scalars_tree_file.root', 'tree'), lambda row: 2)",
    checks: [{ path: [], equal: [2, 2] }],
  },
  {
    test: 'test_ast_executor_select_scalar_branch_subscript',
    query: "Select(EventDataset('tests/scalars_tree_file.root', 'tree'), lambda row: row['int_branch'])",
    checks: [{ path: [], equal: [0, -1] }],
  },
  {
    test: 'test_ast_executor_select_scalar_branch_subscript_qastle_text_ast',
    query:
      "(Select (call EventDataset 'tests/scalars_tree_file.root' 'tree') (lambda (list row) (subscript row 'int_branch')))",
    qastle: true,
    checks: [{ path: [], equal: [0, -1] }],
  },
  {
    test: 'test_ast_executor_select_scalar_branch_subscript_qastle_python_ast',
    query:
      "(Select (call EventDataset 'tests/scalars_tree_file.root' 'tree') (lambda (list row) (subscript row 'int_branch')))",
    qastle: true,
    checks: [{ path: [], equal: [0, -1] }],
  },
  {
    test: 'test_ast_executor_select_scalar_branch_attribute',
    query: "Select(EventDataset('tests/scalars_tree_file.root', 'tree'), lambda row: row.int_branch)",
    checks: [{ path: [], equal: [0, -1] }],
  },
  {
    test: 'test_ast_executor_select_scalar_branch_list',
    query:
      "Select(EventDataset('tests/scalars_tree_file.root', 'tree'), lambda row: [row.int_branch, row.long_branch])",
    checks: [
      { path: ['0'], equal: [0, -1] },
      { path: ['1'], equal: [0, -2] },
    ],
  },
  {
    test: 'test_ast_executor_select_scalar_branch_tuple',
    query:
      "Select(EventDataset('tests/scalars_tree_file.root', 'tree'), lambda row: (row.int_branch, row.long_branch))",
    checks: [
      { path: ['0'], equal: [0, -1] },
      { path: ['1'], equal: [0, -2] },
    ],
  },
  {
    test: 'test_ast_executor_select_scalar_branch_dict',
    query:
      "Select(EventDataset('tests/scalars_tree_file.root', 'tree'), lambda row: {'ints': row.int_branch, 'longs': row.long_branch})",
    checks: [
      { path: ['ints'], equal: [0, -1] },
      { path: ['longs'], equal: [0, -2] },
    ],
  },
  {
    test: 'test_ast_executor_select_scalar_branch_nested_dict',
    query:
      "Select(EventDataset('tests/scalars_tree_file.root', 'tree'), lambda row: {'results': {'ints': row.int_branch, 'longs': row.long_branch}})",
    checks: [
      { path: ['results', 'ints'], equal: [0, -1] },
      { path: ['results', 'longs'], equal: [0, -2] },
    ],
  },
  {
    test: 'test_ast_executor_select_of_select_scalar_branch_list',
    query:
      "Select(EventDataset('tests/scalars_tree_file.root', 'tree'), lambda row: [row.int_branch, row.long_branch]).Select(lambda row: [row[0], row[1]])",
    checks: [
      { path: ['0'], equal: [0, -1] },
      { path: ['1'], equal: [0, -2] },
    ],
  },
  {
    test: 'test_ast_executor_select_of_select_scalar_branch_tuple',
    query:
      "Select(EventDataset('tests/scalars_tree_file.root', 'tree'), lambda row: (row.int_branch, row.long_branch)).Select(lambda row: (row[0], row[1]))",
    checks: [
      { path: ['0'], equal: [0, -1] },
      { path: ['1'], equal: [0, -2] },
    ],
  },
  {
    test: 'test_ast_executor_select_of_select_scalar_branch_dict',
    query:
      "Select(EventDataset('tests/scalars_tree_file.root', 'tree'), lambda row: {'ints': row.int_branch, 'longs': row.long_branch}).Select(lambda row: {'ints2': row.ints, 'longs2': row.longs})",
    checks: [
      { path: ['ints2'], equal: [0, -1] },
      { path: ['longs2'], equal: [0, -2] },
    ],
  },
  {
    test: 'test_ast_executor_where_scalar_branch',
    query:
      "Where(EventDataset('tests/scalars_tree_file.root', 'tree'), lambda row: row.int_branch < 0).Select(lambda row: row.long_branch)",
    checks: [{ path: [], equal: [-2] }],
  },
  {
    test: 'test_ast_executor_where_scalar_branch_multiple_comparisons',
    query:
      "Where(EventDataset('tests/scalars_tree_file.root', 'tree'), lambda row: -1.5 < row.int_branch < -0.5).Select(lambda row: row.long_branch)",
    checks: [{ path: [], equal: [-2] }],
  },
  {
    test: 'test_ast_executor_select_vector_branch',
    query: "Select(EventDataset('tests/vectors_tree_file.root', 'tree'), lambda row: row.int_vector_branch)",
    checks: [{ path: [], equal: [[], [-1, 2, 3], [13]] }],
  },
  {
    test: 'test_ast_executor_select_vector_branch_number',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'), lambda row: row.int_vector_branch.Select(lambda int_value: 2))",
    checks: [{ path: [], equal: [[], [2, 2, 2], [2]] }],
  },
  {
    test: 'test_ast_executor_select_vector_branch_element',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'), lambda row: row.int_vector_branch.Select(lambda int_value: int_value))",
    checks: [{ path: [], equal: [[], [-1, 2, 3], [13]] }],
  },
  {
    test: 'test_ast_executor_select_vector_branch_list',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'), lambda row: [row.int_vector_branch, row.float_vector_branch])",
    checks: [
      {
        path: [1],
        close: [
          [-1, 2, 3],
          [-7.7, 8.8, 9.9],
        ],
      },
    ],
  },
  {
    test: 'test_ast_executor_select_vector_branch_list_zipped',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'), lambda row: Zip([row.int_vector_branch, row.float_vector_branch]))",
    checks: [
      {
        path: [1],
        close: [
          [-1, -7.7],
          [2, 8.8],
          [3, 9.9],
        ],
      },
    ],
  },
  {
    test: 'test_ast_executor_select_scalar_and_vector_branches_list',
    query:
      "Select(EventDataset('tests/scalars_and_vectors_tree_file.root', 'tree'), lambda row: [row.int_branch, row.int_vector_branch])",
    checks: [
      { path: ['0'], equal: [0, -1, 5] },
      { path: ['1'], equal: [[], [-2, 3, 4], [6]] },
    ],
  },
  {
    test: 'test_ast_executor_selectmany_vector_branch',
    query:
      "SelectMany(EventDataset('tests/vectors_tree_file.root', 'tree'), lambda row: row.int_vector_branch)",
    checks: [{ path: [], equal: [-1, 2, 3, 13] }],
  },
  {
    test: 'test_ast_executor_selectmany_vector_branch_dict',
    query:
      "SelectMany(EventDataset('tests/vectors_tree_file.root', 'tree'), lambda row: {'ints': row.int_vector_branch})",
    checks: [{ path: ['ints'], equal: [-1, 2, 3, 13] }],
  },
  {
    test: 'test_ast_executor_selectmany_vector_branch_zipped_list',
    query:
      "SelectMany(EventDataset('tests/vectors_tree_file.root', 'tree'), lambda row: Zip([row.int_vector_branch, row.float_vector_branch]))",
    checks: [
      { path: ['0'], equal: [-1, 2, 3, 13] },
      { path: ['1'], close: [-7.7, 8.8, 9.9, 15.15] },
    ],
  },
  {
    test: 'test_ast_executor_selectmany_vector_branch_zipped_tuple',
    query:
      "SelectMany(EventDataset('tests/vectors_tree_file.root', 'tree'), lambda row: Zip((row.int_vector_branch, row.float_vector_branch)))",
    checks: [
      { path: ['0'], equal: [-1, 2, 3, 13] },
      { path: ['1'], close: [-7.7, 8.8, 9.9, 15.15] },
    ],
  },
  {
    test: 'test_ast_executor_selectmany_vector_branch_zipped_dict',
    query:
      "SelectMany(EventDataset('tests/vectors_tree_file.root', 'tree'), lambda row: Zip({'ints': row.int_vector_branch, 'floats': row.float_vector_branch}))",
    checks: [
      { path: ['ints'], equal: [-1, 2, 3, 13] },
      { path: ['floats'], close: [-7.7, 8.8, 9.9, 15.15] },
    ],
  },
  {
    test: 'test_ast_executor_where_vector_branch',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'),lambda row: row.int_vector_branch.Where(lambda int_value: int_value > 0))",
    checks: [{ path: [], equal: [[], [2, 3], [13]] }],
  },
  {
    test: 'test_ast_executor_where_vector_branch_multiple_comparisons',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'),lambda row: row.int_vector_branch.Where(lambda int_value: 0 < int_value < 4))",
    checks: [{ path: [], equal: [[], [2, 3], []] }],
  },
  {
    test: 'test_ast_executor_where_vector_branch_list',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'),lambda row: Zip([row.int_vector_branch, row.float_vector_branch]).Where(lambda elements: elements[0] > 0))",
    checks: [
      { path: ['0'], equal: [[], [2, 3], [13]] },
      { path: ['1'], close: [[], [8.8, 9.9], [15.15]], atol: 1e-6 },
    ],
  },
  {
    test: 'test_ast_executor_where_vector_branch_tuple',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'),lambda row: Zip((row.int_vector_branch, row.float_vector_branch)).Where(lambda elements: elements[0] > 0))",
    checks: [
      { path: ['0'], equal: [[], [2, 3], [13]] },
      { path: ['1'], close: [[], [8.8, 9.9], [15.15]], atol: 1e-6 },
    ],
  },
  {
    test: 'test_ast_executor_where_vector_branch_dict',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'),lambda row: Zip({'ints': row.int_vector_branch, 'floats': row.float_vector_branch}).Where(lambda elements: elements.ints > 0))",
    checks: [
      { path: ['ints'], equal: [[], [2, 3], [13]] },
      { path: ['floats'], close: [[], [8.8, 9.9], [15.15]], atol: 1e-6 },
    ],
  },
  {
    test: 'test_ast_executor_count_of_select_scalar_branch',
    query: "Count(Select(EventDataset('tests/scalars_tree_file.root', 'tree'),lambda row: row.int_branch))",
    checks: [{ path: [], equal: 2 }],
  },
  {
    test: 'test_ast_executor_select_of_count_vector_branch',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'),lambda row: Count(row.int_vector_branch))",
    checks: [{ path: [], equal: [0, 3, 1] }],
  },
  {
    test: 'test_ast_executor_min_of_select_scalar_branch',
    query: "EventDataset('tests/scalars_tree_file.root', 'tree').Select(lambda row: row.int_branch).Min()",
    checks: [{ path: [], equal: -1 }],
  },
  {
    test: 'test_ast_executor_select_of_min_vector_branch',
    query:
      "EventDataset('tests/vectors_tree_file.root', 'tree').Select(lambda row: row.int_vector_branch.Min())",
    checks: [{ path: [], equal: [null, -1, 13] }],
  },
  {
    test: 'test_ast_executor_max_of_select_scalar_branch',
    query: "EventDataset('tests/scalars_tree_file.root', 'tree').Select(lambda row: row.int_branch).Max()",
    checks: [{ path: [], equal: 0 }],
  },
  {
    test: 'test_ast_executor_select_of_max_vector_branch',
    query:
      "EventDataset('tests/vectors_tree_file.root', 'tree').Select(lambda row: row.int_vector_branch.Max())",
    checks: [{ path: [], equal: [null, 3, 13] }],
  },
  {
    test: 'test_ast_executor_sum_of_select_scalar_branch',
    query: "EventDataset('tests/scalars_tree_file.root', 'tree').Select(lambda row: row.int_branch).Sum()",
    checks: [{ path: [], equal: -1 }],
  },
  {
    test: 'test_ast_executor_select_of_sum_vector_branch',
    query:
      "EventDataset('tests/vectors_tree_file.root', 'tree').Select(lambda row: row.int_vector_branch.Sum())",
    checks: [{ path: [], equal: [0, 4, 13] }],
  },
  {
    test: 'test_ast_executor_choose',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'),lambda row: row.int_vector_branch.Choose(2))",
    checks: [
      {
        path: [],
        equal: [
          [],
          [
            [-1, 2],
            [-1, 3],
            [2, 3],
          ],
          [],
        ],
      },
    ],
  },
  {
    test: 'test_ast_executor_select_of_choose',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'),lambda row: row.int_vector_branch.Choose(2).Select(lambda pair: pair.ElementAt(0) + pair.ElementAt(1)))",
    checks: [{ path: [], equal: [[], [1, 2, 5], []] }],
  },
  {
    test: 'test_ast_executor_sum_in_select_of_choose',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'),lambda row: row.int_vector_branch.Choose(2).Select(lambda pair: pair.Sum()))",
    checks: [{ path: [], equal: [[], [1, 2, 5], []] }],
  },
  {
    test: 'test_ast_executor_choose_zipped_dict',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'),lambda row: {'ints': row.int_vector_branch}.Zip().Choose(2))",
    checks: [
      {
        path: [],
        equal: [
          [],
          [
            [{ ints: -1 }, { ints: 2 }],
            [{ ints: -1 }, { ints: 3 }],
            [{ ints: 2 }, { ints: 3 }],
          ],
          [],
        ],
      },
    ],
  },
  {
    test: 'test_ast_executor_field_of_choose',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'),lambda row: {'int': row.int_vector_branch}.Zip().Choose(2).Select(lambda pair: pair.Select(lambda record: record.int)))",
    checks: [
      {
        path: [],
        equal: [
          [],
          [
            [-1, 2],
            [-1, 3],
            [2, 3],
          ],
          [],
        ],
      },
    ],
  },
  {
    test: 'test_ast_executor_reducer_of_reducer_of_choose',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'),lambda row: row.int_vector_branch).Where(lambda ints: ints.Count() >= 2).Select(lambda ints: ints.Choose(2).First().Max())",
    checks: [{ path: [], equal: [2] }],
  },
  {
    test: 'test_ast_executor_multiple_counts_of_choose',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'),lambda row: {'int_pairs': row.int_vector_branch.Choose(2), 'float_pairs': row.float_vector_branch.Choose(2)}).Select(lambda row: (row.int_pairs.Count(), row.float_pairs.Count()))",
    checks: [
      {
        path: [],
        equal: [
          [0, 0],
          [3, 3],
          [0, 0],
        ],
      },
    ],
  },
  {
    test: 'test_ast_executor_tofourmomentum',
    query:
      "Select(EventDataset('tests/four-vector_tree_file.root', 'tree'),lambda row: Zip({'pt': row.pt_vector_branch, 'eta': row.eta_vector_branch,'phi': row.phi_vector_branch, 'e': row.e_vector_branch}).Select(lambda four_vector: four_vector.ToFourMomentum()))",
    checks: [
      { path: [0, 'pt'], close: [] },
      { path: [1, 'pt'], close: [1.1, 2.2, 3.3] },
      { path: [2, 'pt'], close: [11.11] },
      { path: [0, 'eta'], close: [] },
      { path: [1, 'eta'], close: [4.4, 0.0, -5.5] },
      { path: [2, 'eta'], close: [0.1212] },
      { path: [0, 'phi'], close: [] },
      { path: [1, 'phi'], close: [-0.6, 1.7, 0.0] },
      { path: [2, 'phi'], close: [3.13] },
      { path: [0, 'e'], close: [] },
      { path: [1, 'e'], close: [88.0, 9.9, 1010.0] },
      { path: [2, 'e'], close: [14.14] },
    ],
  },
  {
    test: 'test_ast_executor_tofourmomentum_mass',
    query:
      "Select(EventDataset('tests/four-vector_tree_file.root', 'tree'),lambda row: Zip({'pt': row.pt_vector_branch, 'eta': row.eta_vector_branch,'phi': row.phi_vector_branch, 'e': row.e_vector_branch}).Select(lambda four_vector: four_vector.ToFourMomentum().m))",
    checks: [
      { path: [0], close: [] },
      { path: [1], close: [75.739924362942, 9.65246082613, 925.7900432252] },
      { path: [2], close: [8.6420747579] },
    ],
  },
  {
    test: 'test_ast_executor_tofourmomentum_sum',
    query:
      "Select(EventDataset('tests/four-vector_tree_file.root', 'tree'),lambda row: Zip({'pt': row.pt_vector_branch, 'eta': row.eta_vector_branch,'phi': row.phi_vector_branch, 'e': row.e_vector_branch}).Select(lambda four_vector: four_vector.ToFourMomentum()).Sum())",
    checks: [
      { path: ['pt'], close: [0, 4.223308959107644, 11.11] },
      { path: ['eta'], close: [0.0, -5.135728460688669, 0.1212] },
      { path: ['phi'], close: [0.0, 0.37848189207358623, 3.13] },
      { path: ['e'], close: [0.0, 1107.9, 14.14] },
    ],
  },
  {
    test: 'test_ast_executor_tofourmomenta',
    query:
      "Select(EventDataset('tests/four-vector_tree_file.root', 'tree'),lambda row: Zip({'pt': row.pt_vector_branch, 'eta': row.eta_vector_branch,'phi': row.phi_vector_branch, 'e': row.e_vector_branch}).ToFourMomenta())",
    checks: [
      { path: [0, 'pt'], close: [] },
      { path: [1, 'pt'], close: [1.1, 2.2, 3.3] },
      { path: [2, 'pt'], close: [11.11] },
      { path: [0, 'eta'], close: [] },
      { path: [1, 'eta'], close: [4.4, 0.0, -5.5] },
      { path: [2, 'eta'], close: [0.1212] },
      { path: [0, 'phi'], close: [] },
      { path: [1, 'phi'], close: [-0.6, 1.7, 0.0] },
      { path: [2, 'phi'], close: [3.13] },
      { path: [0, 'e'], close: [] },
      { path: [1, 'e'], close: [88.0, 9.9, 1010.0] },
      { path: [2, 'e'], close: [14.14] },
    ],
  },
  {
    test: 'test_ast_executor_tofourmomenta_mass',
    query:
      "Select(EventDataset('tests/four-vector_tree_file.root', 'tree'),lambda row: Zip({'pt': row.pt_vector_branch, 'eta': row.eta_vector_branch,'phi': row.phi_vector_branch, 'e': row.e_vector_branch}).ToFourMomenta().m)",
    checks: [
      { path: [0], close: [] },
      { path: [1], close: [75.739924362942, 9.65246082613, 925.7900432252] },
      { path: [2], close: [8.6420747579] },
    ],
  },
  {
    test: 'test_ast_executor_tofourmomenta_sum',
    query:
      "Select(EventDataset('tests/four-vector_tree_file.root', 'tree'),lambda row: Zip({'pt': row.pt_vector_branch, 'eta': row.eta_vector_branch,'phi': row.phi_vector_branch, 'e': row.e_vector_branch}).ToFourMomenta().Sum())",
    checks: [
      { path: ['pt'], close: [0, 4.223308959107644, 11.11] },
      { path: ['eta'], close: [0.0, -5.135728460688669, 0.1212] },
      { path: ['phi'], close: [0.0, 0.37848189207358623, 3.13] },
      { path: ['e'], close: [0.0, 1107.9, 14.14] },
    ],
  },
  {
    test: 'test_ast_executor_orderby_same_vector_branch',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'),lambda row: row.int_vector_branch.OrderBy(lambda int_value: int_value))",
    checks: [{ path: [], equal: [[], [-1, 2, 3], [13]] }],
  },
  {
    test: 'test_ast_executor_orderby_different_vector_branch',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'),lambda row: Zip({'int': row.int_vector_branch, 'float': row.float_vector_branch}).OrderBy(lambda elements: elements.int).Select(lambda elements: elements.float))",
    checks: [
      { path: [0], close: [] },
      { path: [1], close: [-7.7, 8.8, 9.9] },
      { path: [2], close: [15.15] },
    ],
  },
  {
    test: 'test_ast_executor_orderby_negative_vector_branch',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'),lambda row: row.int_vector_branch.OrderBy(lambda int_value: -int_value))",
    checks: [{ path: [], equal: [[], [3, 2, -1], [13]] }],
  },
  {
    test: 'test_ast_executor_orderby_different_negative_vector_branch',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'),lambda row: Zip({'int': row.int_vector_branch, 'float': row.float_vector_branch}).OrderBy(lambda elements: -elements.int).Select(lambda elements: elements.float))",
    checks: [
      { path: [0], close: [] },
      { path: [1], close: [9.9, 8.8, -7.7] },
      { path: [2], close: [15.15] },
    ],
  },
  {
    test: 'test_ast_executor_orderbydescending_vector_branch',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'),lambda row: row.int_vector_branch.OrderByDescending(lambda int_value: int_value))",
    checks: [{ path: [], equal: [[], [3, 2, -1], [13]] }],
  },
  {
    test: 'test_ast_executor_empty_branch',
    query: "Select(EventDataset('tests/empty_branches_tree_file.root', 'tree'),lambda row: row.int_branch)",
    checks: [{ path: [], equal: [] }],
  },
  {
    test: 'test_ast_executor_cross_join',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'), lambda row: row.int_vector_branch.Select(lambda int_value: row.float_vector_branch.Select(lambda float_value: (int_value, float_value))))",
    checks: [
      { path: [0], close: [] },
      {
        path: [1],
        close: [
          [
            [-1, -7.7],
            [-1, 8.8],
            [-1, 9.9],
          ],
          [
            [2, -7.7],
            [2, 8.8],
            [2, 9.9],
          ],
          [
            [3, -7.7],
            [3, 8.8],
            [3, 9.9],
          ],
        ],
      },
      { path: [2], close: [[[13, 15.15]]] },
    ],
  },
  {
    test: 'test_ast_executor_cross_join_where_any',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'), lambda row: row.int_vector_branch.Where(lambda int_value: row.float_vector_branch.Any(lambda float_value: int_value * float_value > 10)))",
    checks: [{ path: [], equal: [[], [2, 3], [13]] }],
  },
  {
    test: 'test_ast_executor_cross_join_where_any_2',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'), lambda row: row.int_vector_branch.Where(lambda int_value: row.float_vector_branch.Any(lambda float_value: int_value * float_value < -10)))",
    checks: [{ path: [], equal: [[], [2, 3], []] }],
  },
  {
    test: 'test_ast_executor_first_scalar_branch',
    query: "Select(EventDataset('tests/scalars_tree_file.root', 'tree'),lambda row: row.int_branch).First()",
    checks: [{ path: [], equal: 0 }],
  },
  {
    test: 'test_ast_executor_first_vector_branch',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'),lambda row: row.int_vector_branch).Where(lambda ints: ints.Count() > 0).Select(lambda ints: ints.First())",
    checks: [{ path: [], equal: [-1, 13] }],
  },
  {
    test: 'test_ast_executor_elementat_scalar_branch',
    query:
      "Select(EventDataset('tests/scalars_tree_file.root', 'tree'),lambda row: row.int_branch).ElementAt(1)",
    checks: [{ path: [], equal: -1 }],
  },
  {
    test: 'test_ast_executor_elementat_vector_branch',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'),lambda row: row.int_vector_branch).Where(lambda ints: ints.Count() > 1).Select(lambda ints: ints.ElementAt(1))",
    checks: [{ path: [], equal: [2] }],
  },
  {
    test: 'test_ast_executor_elementat_in_cross_join',
    query:
      "Where(EventDataset('tests/vectors_tree_file.root', 'tree'), lambda row: row.int_vector_branch.Count() > 0).Select(lambda row: row.float_vector_branch.Select(lambda float_value: row.int_vector_branch.ElementAt(0)))",
    checks: [{ path: [], equal: [-1, 13] }],
  },
  {
    test: 'test_ast_executor_contains_scalar_branch_false',
    query:
      "Select(EventDataset('tests/scalars_tree_file.root', 'tree'),lambda row: row.int_branch).Contains(1)",
    checks: [
      { path: [], boolean: true },
      { path: [], equal: false },
    ],
  },
  {
    test: 'test_ast_executor_contains_scalar_branch_true',
    query:
      "Select(EventDataset('tests/scalars_tree_file.root', 'tree'),lambda row: row.int_branch).Contains(0)",
    checks: [
      { path: [], boolean: true },
      { path: [], equal: true },
    ],
  },
  {
    test: 'test_ast_executor_contains_vector_branch',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'),lambda row: row.int_vector_branch.Contains(2))",
    checks: [{ path: [], equal: [false, true, false] }],
  },
  {
    test: 'test_ast_executor_contains_scalar_branch_in_vector_branch',
    query:
      "Select(EventDataset('tests/scalars_and_vectors_tree_file.root', 'tree'), lambda row: row.int_vector_branch.Contains(row.int_branch + 4))",
    checks: [{ path: [], equal: [false, true, false] }],
  },
  {
    test: 'test_ast_executor_contains_vector_branch_in_vector_branch',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'),lambda row: row.float_vector_branch.Select(lambda float_value: row.int_vector_branch.Contains(float_value // 3 + 1)))",
    checks: [{ path: [], equal: [[], [false, true, false], [false]] }],
  },
  {
    test: 'test_ast_executor_last_scalar_branch',
    query: "Select(EventDataset('tests/scalars_tree_file.root', 'tree'),lambda row: row.int_branch).Last()",
    checks: [{ path: [], equal: -1 }],
  },
  {
    test: 'test_ast_executor_last_vector_branch',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'),lambda row: row.int_vector_branch).Where(lambda ints: ints.Count() > 0).Select(lambda ints: ints.Last())",
    checks: [{ path: [], equal: [3, 13] }],
  },
  {
    test: 'test_ast_executor_all_scalar_branch_false',
    query: "EventDataset('tests/scalars_tree_file.root', 'tree').All(lambda row: row.int_branch > 0)",
    checks: [
      { path: [], boolean: true },
      { path: [], equal: false },
    ],
  },
  {
    test: 'test_ast_executor_all_scalar_branch_true',
    query: "EventDataset('tests/scalars_tree_file.root', 'tree').All(lambda row: row.int_branch > -2)",
    checks: [
      { path: [], boolean: true },
      { path: [], equal: true },
    ],
  },
  {
    test: 'test_ast_executor_all_vector_branch',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'),lambda row: row.int_vector_branch.All(lambda int_value: int_value > 0))",
    checks: [{ path: [], equal: [true, false, true] }],
  },
  {
    test: 'test_ast_executor_any_scalar_branch_false',
    query: "EventDataset('tests/scalars_tree_file.root', 'tree').Any(lambda row: row.int_branch > 0)",
    checks: [
      { path: [], boolean: true },
      { path: [], equal: false },
    ],
  },
  {
    test: 'test_ast_executor_any_scalar_branch_true',
    query: "EventDataset('tests/scalars_tree_file.root', 'tree').Any(lambda row: row.int_branch > -1)",
    checks: [
      { path: [], boolean: true },
      { path: [], equal: true },
    ],
  },
  {
    test: 'test_ast_executor_any_vector_branch',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'), lambda row: row.int_vector_branch.Any(lambda int_value: int_value > 0))",
    checks: [{ path: [], equal: [false, true, true] }],
  },
  {
    test: 'test_ast_executor_concat',
    query:
      "EventDataset('tests/vectors_tree_file.root', 'tree').Select(lambda row: row.int_vector_branch.Concat(row.float_vector_branch))",
    checks: [{ path: [], close: [[], [-1, 2, 3, -7.7, 8.8, 9.9], [13, 15.15]], atol: 1e-6 }],
  },
  {
    test: 'test_ast_executor_select_scalar_branch_in',
    query:
      "Select(EventDataset('tests/scalars_tree_file.root', 'tree'),lambda row: row.int_branch in [0, 1])",
    checks: [{ path: [], equal: [true, false] }],
  },
  {
    test: 'test_ast_executor_select_in_vector_branch',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'), lambda row: 3 in row.int_vector_branch)",
    checks: [{ path: [], equal: [false, true, false] }],
  },
  {
    test: 'test_ast_executor_select_scalar_branch_in_vector_branch',
    query:
      "Select(EventDataset('tests/scalars_and_vectors_tree_file.root', 'tree'), lambda row: row.int_branch + 1 in row.int_vector_branch)",
    checks: [{ path: [], equal: [false, false, true] }],
  },
  {
    test: 'test_ast_executor_select_scalar_vector_branch_in',
    query:
      "Select(EventDataset('tests/vectors_tree_file.root', 'tree'), lambda row: row.int_vector_branch.Select(lambda int_value: int_value in [-1, 13]))",
    checks: [{ path: [], equal: [[], [true, false, false], [true]] }],
  },
  {
    test: 'test_ast_executor_ternary_operator_number',
    query:
      "Select(EventDataset('tests/scalars_tree_file.root', 'tree'), lambda row: 1 if row.int_branch >= 0 else 2)",
    checks: [{ path: [], equal: [1, 2] }],
  },
  {
    test: 'test_ast_executor_ternary_operator_branch',
    query:
      "Select(EventDataset('tests/scalars_tree_file.root', 'tree'), lambda row: row.int_branch if row.int_branch >= 0 else row.int_branch - 1)",
    checks: [{ path: [], equal: [0, -2] }],
  },
  {
    test: 'test_ast_executor_call_builtin',
    query: "Select(EventDataset('tests/scalars_tree_file.root', 'tree'), lambda row: abs(row.int_branch))",
    checks: [{ path: [], equal: [0, 1] }],
  },
  {
    test: 'test_ast_executor_call_allowed_module',
    query: "Select(EventDataset('tests/scalars_tree_file.root', 'tree'), lambda row: np.abs(row.int_branch))",
    checks: [{ path: [], equal: [0, 1] }],
  },
  {
    test: 'test_ast_executor_where_of_call',
    query:
      "Select(EventDataset('tests/scalars_tree_file.root', 'tree'), lambda row: row.int_branch).Where(lambda int_value: abs(int_value) > 0)",
    checks: [{ path: [], equal: [-1] }],
  },
];

/** `tests/test_dataset.py` and `tests/test_translation.py`: the dataset alone; `files`/`tree` are given beside the query. */
export const DATASET_CASES: readonly SuiteCase[] = [
  {
    test: 'test_uproot_dataset (test_dataset.py)',
    query: "UprootDataset('tests/scalars_tree_file.root')",
    checks: [
      { path: [], fields: ['int_branch', 'long_branch', 'float_branch', 'double_branch', 'bool_branch'] },
    ],
  },
  {
    test: 'test_generate_function_string (test_translation.py)',
    query: 'EventDataset()',
    files: ['tests/scalars_tree_file.root'],
    tree: 'tree',
    checks: [
      { path: [], fields: ['int_branch', 'long_branch', 'float_branch', 'double_branch', 'bool_branch'] },
    ],
  },
  {
    test: 'test_generate_function_list (test_translation.py)',
    query: 'EventDataset()',
    files: ['tests/scalars_tree_file.root'],
    tree: 'tree',
    checks: [
      { path: [], fields: ['int_branch', 'long_branch', 'float_branch', 'double_branch', 'bool_branch'] },
    ],
  },
  {
    test: 'test_generate_function_override_file (test_translation.py)',
    query: 'EventDataset(None)',
    files: ['tests/scalars_tree_file.root'],
    tree: 'tree',
    checks: [
      { path: [], fields: ['int_branch', 'long_branch', 'float_branch', 'double_branch', 'bool_branch'] },
    ],
  },
  {
    test: 'test_generate_function_override_file_and_tree (test_translation.py)',
    query: 'EventDataset(None, None)',
    files: ['tests/scalars_tree_file.root'],
    tree: 'tree',
    checks: [
      { path: [], fields: ['int_branch', 'long_branch', 'float_branch', 'double_branch', 'bool_branch'] },
    ],
  },
];

/**
 * Cases the suite keeps commented out (func_adl_uproot has no event-level OrderBy); hepq has one, and the
 * expected values written in those comments hold.
 */
export const COMMENTED_OUT_CASES: readonly SuiteCase[] = [
  {
    test: 'test_ast_executor_orderby_same_scalar_branch (commented out)',
    query:
      "OrderBy(EventDataset('tests/scalars_tree_file.root', 'tree'),lambda row: row.int_branch).Select(lambda row: row.int_branch)",
    checks: [{ path: [], equal: [-1, 0] }],
  },
  {
    test: 'test_ast_executor_orderby_different_scalar_branch (commented out)',
    query:
      "OrderBy(EventDataset('tests/scalars_tree_file.root', 'tree'),lambda row: row.int_branch).Select(lambda row: row.float_branch)",
    checks: [{ path: [], close: [3.3, 0] }],
  },
  {
    test: 'test_ast_executor_orderby_negative_scalar_branch (commented out)',
    query:
      "OrderBy(EventDataset('tests/scalars_tree_file.root', 'tree'),lambda row: -row.int_branch).Select(lambda row: row.int_branch)",
    checks: [{ path: [], equal: [0, -1] }],
  },
  {
    test: 'test_ast_executor_orderbydescending_scalar_branch (commented out)',
    query:
      "OrderByDescending(EventDataset('tests/scalars_tree_file.root', 'tree'),lambda row: row.int_branch).Select(lambda row: row.int_branch)",
    checks: [{ path: [], equal: [0, -1] }],
  },
];
