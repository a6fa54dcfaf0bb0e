import { Type } from '@sinclair/typebox';
import { checkPageNumber } from '../../core/rules.ts';
import { defineOperation } from '../operation.ts';
import { Strings, strict } from './shared.ts';

const PersonGroups = Type.Object({ personId: Type.String(), groupIds: Strings }, strict);

export const AddPerson = defineOperation({
  name: 'AddPerson',
  path: '/green/sface/person/add',
  request: Type.Object({ personId: Type.String(), groupIds: Strings, name: Type.Optional(Type.String()), note: Type.Optional(Type.String()) }),
  response: PersonGroups,
  handler: (b, { library }) => {
    const groupIds = library.persons.register({ personId: b.personId, groupIds: b.groupIds, name: b.name, note: b.note }, 'alibaba');
    return { personId: b.personId, groupIds };
  },
});

export const AddGroups = defineOperation({
  name: 'AddGroups',
  path: '/green/sface/person/groups/add',
  request: Type.Object({ personId: Type.String(), groupIds: Strings }),
  response: PersonGroups,
  handler: (b, { library }) => ({ personId: b.personId, groupIds: library.persons.joinGroups(b.personId, b.groupIds, 'alibaba') }),
});

export const DeleteGroups = defineOperation({
  name: 'DeleteGroups',
  path: '/green/sface/person/groups/delete',
  request: Type.Object({ personId: Type.String(), groupIds: Strings }),
  response: PersonGroups,
  handler: (b, { library }) => ({ personId: b.personId, groupIds: library.persons.leaveGroups(b.personId, b.groupIds).left }),
});

export const DeletePerson = defineOperation({
  name: 'DeletePerson',
  path: '/green/sface/person/delete',
  request: Type.Object({ personId: Type.String() }),
  response: Type.Object({ personId: Type.String() }, strict),
  handler: (b, { library }) => {
    library.persons.delete(b.personId);
    return { personId: b.personId };
  },
});

export const GetPerson = defineOperation({
  name: 'GetPerson',
  path: '/green/sface/person',
  request: Type.Object({ personId: Type.String() }),
  response: Type.Object({ personId: Type.String(), name: Type.String(), note: Type.String(), groupIds: Strings, faceIds: Strings }, strict),
  handler: (b, { library }) => {
    const d = library.persons.details(b.personId);
    // Lists of face ids are strings in Green's documentation; single faceId fields are numbers.
    return { personId: d.person.personId, name: d.person.name, note: d.person.note, groupIds: d.groupIds, faceIds: d.faceIds.map(String) };
  },
});

export const GetPersons = defineOperation({
  name: 'GetPersons',
  path: '/green/sface/group/persons',
  request: Type.Object({ groupId: Type.String(), currentPage: Type.Optional(Type.Integer()), pageSize: Type.Optional(Type.Integer()) }),
  response: Type.Object(
    { personIds: Strings, currentPage: Type.Integer(), pageSize: Type.Integer(), totalCount: Type.Integer() },
    strict,
  ),
  handler: (b, { library }) => {
    const page = checkPageNumber(b.currentPage, b.pageSize);
    const r = library.persons.list(b.groupId, page.offset, page.limit);
    return {
      personIds: r.persons.map((p) => p.personId),
      currentPage: page.currentPage,
      pageSize: page.limit,
      totalCount: r.personNum,
    };
  },
});

export const SetPerson = defineOperation({
  name: 'SetPerson',
  path: '/green/sface/person/update',
  request: Type.Object({ personId: Type.String(), name: Type.Optional(Type.String()), note: Type.Optional(Type.String()) }),
  response: Type.Object({ personId: Type.String() }, strict),
  handler: (b, { library }) => {
    library.persons.modifyBase(b.personId, { name: b.name, note: b.note });
    return { personId: b.personId };
  },
});

export const GetGroups = defineOperation({
  name: 'GetGroups',
  path: '/green/sface/groups',
  request: Type.Object({}),
  response: Type.Object({ groupIds: Strings }, strict),
  handler: (_b, { library }) => ({ groupIds: library.groups.allIds() }),
});
