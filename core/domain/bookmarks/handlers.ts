// The bookmarks domain's methods (./contract.ts).

import type { HandlersOf } from '../../api/wire';
import type { CaseAccess } from '../case-access/case-access';
import { addBookmark, listBookmarks, removeBookmark, updateBookmark } from './case-bookmarks';
import type { BookmarksMethods } from './contract';

export function createBookmarksHandlers(access: CaseAccess): HandlersOf<BookmarksMethods> {
  const db = (req: { caseId: string }) => access.db(String(req.caseId));
  return {
    'bookmarks.list': async (req) => ({ bookmarks: await listBookmarks(db(req)) }),
    'bookmarks.add': async (req) => addBookmark(db(req), req.place, req.note),
    'bookmarks.update': async (req) => updateBookmark(db(req), req.id, req.note),
    'bookmarks.remove': async (req) => ({ removed: removeBookmark(db(req), req.id) }),
  };
}
